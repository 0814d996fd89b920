package database

// Check validates args as New would for a provider in args.Region, without registering anything, and
// returns the plain facts of the database New would make (IdentifierName, Engine, EngineVersion, ...; no
// outputs), for a caller to check dependent components (dr.PrimaryOf) before anything is registered.
func Check(name string, args *Args) (*Database, error) {
	region := ""
	if args != nil {
		region = args.Region
	}
	s, err := validate(name, args, region)
	if err != nil {
		return nil, err
	}
	return s.facts(), nil
}

// facts is the Database's plain facts, known before anything is registered.
func (s *settings) facts() *Database {
	return &Database{
		IdentifierName:      s.Identifier,
		Engine:              s.Engine,
		EngineVersion:       s.EngineVersion,
		DatabaseName:        s.DatabaseName,
		InstanceClass:       s.InstanceClass,
		Encrypted:           true,
		BackupRetentionDays: s.BackupRetentionDays,
		Region:              s.Region,
		PortNumber:          s.port,
		Production:          s.Production,
		// A replica source keeps its credentials in the kit's secret; see Args.ReplicaSource.
		PasswordManagedByRDS:  !s.ReplicaSource,
		MaxAllocatedStorageGB: s.MaxAllocatedStorageGB,
	}
}
