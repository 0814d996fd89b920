package migration

// The engines DMS connects to, by the names CreateEndpoint takes (DMS API reference, CreateEndpoint
// EngineName: "mysql", "oracle", "postgres", "mariadb", "aurora", "aurora-postgresql", "opensearch",
// "redshift", "s3", "db2", "db2-zos", "azuredb", "sybase", "dynamodb", "mongodb", "kinesis", "kafka",
// "elasticsearch", "docdb", "sqlserver", "neptune", "babelfish", redshift-serverless, aurora-serverless,
// aurora-postgresql-serverless, gcp-mysql, azure-sql-managed-instance, redis, dms-transfer).

// relationalSources are the relational databases DMS reads with full load and change data capture, from a
// data centre: the engines of the user guide's "Sources for data migration" (Oracle, Microsoft SQL Server,
// PostgreSQL, MySQL and MariaDB, SAP ASE, IBM Db2 LUW and z/OS), each of which DMS loads into any relational target.
var relationalSources = map[string]string{
	"oracle":    "Oracle",
	"sqlserver": "Microsoft SQL Server",
	"postgres":  "PostgreSQL",
	"mysql":     "MySQL",
	"mariadb":   "MariaDB",
	"sybase":    "SAP ASE (Sybase)",
	"db2":       "IBM Db2 LUW",
	"db2-zos":   "IBM Db2 for z/OS",
}

// targetOnly are engines DMS writes to and never reads: none of them is among the user guide's sources
// (CHAP_Source), all of them are among its targets (CHAP_Target).
var targetOnly = map[string]bool{
	"redshift": true, "redshift-serverless": true, "dynamodb": true, "kinesis": true, "kafka": true,
	"elasticsearch": true, "opensearch": true, "neptune": true, "redis": true, "babelfish": true,
}

// nonRelationalSources are sources DMS reads that are not relational databases: documents and files, which
// this component's schema and table mappings do not describe.
var nonRelationalSources = map[string]bool{"mongodb": true, "docdb": true, "s3": true, "dms-transfer": true}

// cloudSources are sources that live in another cloud or AWS itself, never in the data centre at the end of
// the VPN.
var cloudSources = map[string]bool{"azuredb": true, "azure-sql-managed-instance": true, "gcp-mysql": true,
	"aurora": true, "aurora-postgresql": true, "aurora-serverless": true, "aurora-postgresql-serverless": true}

// relationalTargets are the kit database engines DMS writes to (CHAP_Target: PostgreSQL, MySQL-compatible).
var relationalTargets = map[string]bool{"postgres": true, "mysql": true}

// noDatabaseName are the engines whose endpoint must not name a database: DMS would put every table of the
// task into that one database; the schema in the table mappings picks it instead (CreateEndpoint: "For a
// MySQL source or target endpoint, don't explicitly specify the database using the DatabaseName request
// parameter").
var noDatabaseName = map[string]bool{"mysql": true, "mariadb": true}

// sourceEngineProblem says why DMS cannot copy engine into the kit's relational database, or "".
func sourceEngineProblem(engine string) string {
	switch {
	case relationalSources[engine] != "":
		return ""
	case targetOnly[engine]:
		return "is an engine DMS only writes to, never reads from"
	case nonRelationalSources[engine]:
		return "is not a relational database: this component copies tables into RDS"
	case cloudSources[engine]:
		return "does not run in the data centre: this component copies a database reached over the VPN"
	}
	return "is not a DMS engine name"
}
