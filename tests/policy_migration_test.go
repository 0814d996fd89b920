package tests

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Fixtures of the migration's rules: the VPN and DMS.

const (
	policyTypeDMSInstance = "aws:dms/replicationInstance:ReplicationInstance"
	policyTypeDMSEndpoint = "aws:dms/endpoint:Endpoint"
	policyTypeDMSTask     = "aws:dms/replicationTask:ReplicationTask"
	policyTypeVPN         = "aws:ec2/vpnConnection:VpnConnection"
	policyTypeVGW         = "aws:ec2/vpnGateway:VpnGateway"
	policyTypePropagation = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation"
	policyTypeRouteTable  = "aws:ec2/routeTable:RouteTable"
	policyTypeRoute       = "aws:ec2/route:Route"
	policyTypeIGW         = "aws:ec2/internetGateway:InternetGateway"
)

func policyMerge(base map[string]any, extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// policyDMSInstance is a compliant replication instance.
func policyDMSInstance(extra map[string]any) map[string]any {
	return policyMerge(map[string]any{
		"replicationInstanceId": "cutover", "publiclyAccessible": false, "multiAz": true,
		"kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/1234", "autoMinorVersionUpgrade": true,
		"tags": policyTags("production"),
	}, extra)
}

// policyDMSEndpoint is a compliant PostgreSQL endpoint.
func policyDMSEndpoint(extra map[string]any) map[string]any {
	return policyMerge(map[string]any{
		"endpointId": "cutover-source", "endpointType": "source", "engineName": "postgres", "sslMode": "require",
		"secretsManagerArn":           "arn:aws:secretsmanager:us-east-1:123456789012:secret:dms-AbCdEf",
		"secretsManagerAccessRoleArn": "arn:aws:iam::123456789012:role/reader",
	}, extra)
}

// policyDMSSettings are task settings logging what DMS.7 and DMS.8 ask for, less what is left out.
func policyDMSSettings(without ...string) string {
	components := ""
	for _, c := range []string{"SOURCE_UNLOAD", "SOURCE_CAPTURE", "TARGET_LOAD", "TARGET_APPLY"} {
		skip := false
		for _, w := range without {
			skip = skip || w == c
		}
		if skip {
			continue
		}
		if components != "" {
			components += ","
		}
		components += `{"Id":"` + c + `","Severity":"LOGGER_SEVERITY_DEFAULT"}`
	}
	return `{"Logging":{"EnableLogging":true,"LogComponents":[` + components + `]}}`
}

// policyVPNLogs are a tunnel's log options.
func policyVPNLogs(enabled bool, group any) map[string]any {
	return map[string]any{"cloudwatchLogOptions": map[string]any{"logEnabled": enabled, "logGroupArn": group}}
}

func policyMigrationCases() []policyCase {
	one := func(typ string, props map[string]any) []policyx.AnalyzerResource {
		return []policyx.AnalyzerResource{policyRes(typ, "subject", props)}
	}
	rs := func(r ...policyx.AnalyzerResource) []policyx.AnalyzerResource { return r }
	logs := policyVPNLogs(true, "arn:aws:logs:us-east-1:123456789012:log-group:/vpn/dc")
	vpn := func(extra map[string]any) map[string]any {
		return policyMerge(map[string]any{"tunnel1LogOptions": logs, "tunnel2LogOptions": logs}, extra)
	}

	vgw := policyRes(policyTypeVGW, "vgw", map[string]any{"vpcId": policyUnknown})
	igw := policyRes(policyTypeIGW, "igw", nil)
	privateTable := policyRes(policyTypeRouteTable, "private", map[string]any{"tags": map[string]string{"Tier": "private"}})
	taggedPublic := policyRes(policyTypeRouteTable, "public", map[string]any{"tags": map[string]string{"Tier": "public"}})
	untaggedPublic := policyRes(policyTypeRouteTable, "edge", nil)
	internetRoute := policyDep(policyDep(policyRes(policyTypeRoute, "edge-internet", map[string]any{
		"routeTableId": policyUnknown, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": policyUnknown}),
		"routeTableId", untaggedPublic), "gatewayId", igw)
	propagate := func(table policyx.AnalyzerResource) policyx.AnalyzerResource {
		return policyDep(policyDep(policyRes(policyTypePropagation, "prop-"+table.Name, map[string]any{
			"routeTableId": policyUnknown, "vpnGatewayId": policyUnknown}), "routeTableId", table), "vpnGatewayId", vgw)
	}
	routeToDC := func(table policyx.AnalyzerResource) policyx.AnalyzerResource {
		return policyDep(policyDep(policyRes(policyTypeRoute, "to-dc-"+table.Name, map[string]any{
			"routeTableId": policyUnknown, "destinationCidrBlock": "192.168.0.0/16", "gatewayId": policyUnknown}),
			"routeTableId", table), "gatewayId", vgw)
	}

	return []policyCase{
		{"DMS instance public", "dms-replication-instance-not-public", "", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"publiclyAccessible": true})), true},
		{"DMS instance left to DMS's public default", "dms-replication-instance-not-public", "", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"publiclyAccessible": nil})), true},
		{"DMS instance private", "dms-replication-instance-not-public", "", one(policyTypeDMSInstance, policyDMSInstance(nil)), false},

		{"DMS instance on aws/dms", "dms-replication-instance-encrypted", "", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"kmsKeyArn": nil})), true},
		{"DMS instance naming the AWS managed key", "dms-replication-instance-encrypted", "", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:alias/aws/dms"})), true},
		{"DMS instance on a customer key", "dms-replication-instance-encrypted", "", one(policyTypeDMSInstance, policyDMSInstance(nil)), false},
		{"DMS instance on a key made in the same preview", "dms-replication-instance-encrypted", "", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"kmsKeyArn": policyUnknown})), false},

		{"prod DMS instance in one AZ", "dms-replication-instance-multi-az", "prod", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"multiAz": false})), true},
		{"prod DMS instance Multi-AZ", "dms-replication-instance-multi-az", "prod", one(policyTypeDMSInstance, policyDMSInstance(nil)), false},
		{"dev DMS instance in one AZ", "dms-replication-instance-multi-az", "dev", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"multiAz": false, "tags": policyTags("dev")})), false},

		{"DMS instance without minor upgrades", "dms-auto-minor-version-upgrade", "", one(policyTypeDMSInstance, policyDMSInstance(map[string]any{"autoMinorVersionUpgrade": false})), true},
		{"DMS instance with minor upgrades", "dms-auto-minor-version-upgrade", "", one(policyTypeDMSInstance, policyDMSInstance(nil)), false},

		{"endpoint with a password", "dms-endpoint-secrets-manager", "", one(policyTypeDMSEndpoint, policyDMSEndpoint(map[string]any{"password": "hunter22"})), true},
		{"endpoint without a secret", "dms-endpoint-secrets-manager", "", one(policyTypeDMSEndpoint, policyDMSEndpoint(map[string]any{"secretsManagerArn": nil, "secretsManagerAccessRoleArn": nil, "username": "dms"})), true},
		{"endpoint reading a secret", "dms-endpoint-secrets-manager", "", one(policyTypeDMSEndpoint, policyDMSEndpoint(nil)), false},
		{"S3 endpoint has no database credentials", "dms-endpoint-secrets-manager", "", one(policyTypeDMSEndpoint, map[string]any{"engineName": "s3", "endpointType": "target"}), false},

		{"endpoint without SSL", "dms-endpoint-ssl", "", one(policyTypeDMSEndpoint, policyDMSEndpoint(map[string]any{"sslMode": "none"})), true},
		{"endpoint leaving SSL to DMS's default", "dms-endpoint-ssl", "", one(policyTypeDMSEndpoint, policyDMSEndpoint(map[string]any{"sslMode": nil})), true},
		{"endpoint requiring SSL", "dms-endpoint-ssl", "", one(policyTypeDMSEndpoint, policyDMSEndpoint(nil)), false},
		{"endpoint verifying the server", "dms-endpoint-ssl", "", one(policyTypeDMSEndpoint, policyDMSEndpoint(map[string]any{"sslMode": "verify-full"})), false},

		{"task without settings", "dms-task-logging", "", one(policyTypeDMSTask, map[string]any{"migrationType": "full-load-and-cdc"}), true},
		{"task logging off", "dms-task-logging", "", one(policyTypeDMSTask, map[string]any{"replicationTaskSettings": `{"Logging":{"EnableLogging":false}}`}), true},
		{"task not logging the target's apply", "dms-task-logging", "", one(policyTypeDMSTask, map[string]any{"replicationTaskSettings": policyDMSSettings("TARGET_APPLY")}), true},
		{"task logging source and target", "dms-task-logging", "", one(policyTypeDMSTask, map[string]any{"replicationTaskSettings": policyDMSSettings()}), false},

		{"VPN without tunnel logs", "vpn-tunnel-logs", "", one(policyTypeVPN, map[string]any{"customerGatewayId": policyUnknown}), true},
		{"VPN logging one tunnel only", "vpn-tunnel-logs", "", one(policyTypeVPN, vpn(map[string]any{"tunnel2LogOptions": policyVPNLogs(false, nil)})), true},
		{"VPN logging without a group", "vpn-tunnel-logs", "", one(policyTypeVPN, vpn(map[string]any{"tunnel1LogOptions": policyVPNLogs(true, nil)})), true},
		{"VPN logging both tunnels", "vpn-tunnel-logs", "", one(policyTypeVPN, vpn(nil)), false},
		{"VPN logging to a group made in the same preview", "vpn-tunnel-logs", "", one(policyTypeVPN, vpn(map[string]any{"tunnel1LogOptions": policyVPNLogs(true, policyUnknown)})), false},

		{"propagation to a table tagged public", "vpn-routes-not-public", "", rs(vgw, taggedPublic, propagate(taggedPublic)), true},
		{"propagation to a table routing to the internet", "vpn-routes-not-public", "", rs(vgw, igw, untaggedPublic, internetRoute, propagate(untaggedPublic)), true},
		{"route to the data centre on a public table", "vpn-routes-not-public", "", rs(vgw, taggedPublic, routeToDC(taggedPublic)), true},
		{"propagation to a private table", "vpn-routes-not-public", "", rs(vgw, igw, privateTable, untaggedPublic, internetRoute, propagate(privateTable)), false},
		{"route to the data centre on a private table", "vpn-routes-not-public", "", rs(vgw, privateTable, routeToDC(privateTable)), false},
	}
}
