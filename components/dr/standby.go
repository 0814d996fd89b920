package dr

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/tagging"
)

// buildStandby runs the injected web tier in the DR region, lets it reach the replica, and sets up Route 53
// failover when a domain is given.
func (c *DR) buildStandby(ctx *pulumi.Context, name string, s *settings, in []pulumi.ResourceOption) error {
	web, err := s.WebTier(ctx, name+"-web", StandbyInputs{
		VPC: c.VPC, DatabaseAddress: c.ReplicaAddress, DatabasePort: c.port,
	}, in...)
	if err != nil {
		return fmt.Errorf("dr %q: warm-standby web tier: %w", name, err)
	}
	if web == nil {
		return fmt.Errorf("dr %q: the WebTier function returned no web tier and no error", name)
	}
	c.WebTier = web
	if web.SecurityGroupID != nil {
		if err := database.AllowClient(ctx, name+"-web-client", c.sg, c.port, web.SecurityGroupID, s.Tags,
			in...); err != nil {
			return err
		}
	}
	if s.Failover != nil {
		return c.buildFailover(ctx, name, s, in)
	}
	return nil
}

// buildFailover creates the health check on the primary's load balancer and the PRIMARY/SECONDARY alias
// records. Route 53 answers with the primary while its health check passes, and with the DR load balancer
// otherwise; it needs no action from anyone during a regional outage.
func (c *DR) buildFailover(ctx *pulumi.Context, name string, s *settings, in []pulumi.ResourceOption) error {
	f := s.Failover
	check, err := route53.NewHealthCheck(ctx, name+"-primary-health", &route53.HealthCheckArgs{
		Type:             pulumi.String(f.HealthCheckProtocol),
		Fqdn:             f.PrimaryLoadBalancerDNSName,
		Port:             pulumi.Int(f.HealthCheckPort),
		ResourcePath:     pulumi.String(f.HealthCheckPath),
		FailureThreshold: pulumi.Int(FailoverFailureThreshold),
		RequestInterval:  pulumi.Int(FailoverRequestIntervalSeconds),
		Tags:             tagging.Merge(s.Tags, f.Domain+" primary ("+s.Primary.Region+")"),
	}, in...)
	if err != nil {
		return err
	}
	c.HealthCheckID = check.ID().ToStringOutput()
	if _, err := route53.NewRecord(ctx, name+"-primary-record", &route53.RecordArgs{
		ZoneId:        pulumi.String(f.HostedZoneID),
		Name:          pulumi.String(f.Domain),
		Type:          pulumi.String("A"),
		SetIdentifier: pulumi.String("primary-" + s.Primary.Region),
		FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
			route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")},
		},
		HealthCheckId: check.ID(),
		Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
			Name: f.PrimaryLoadBalancerDNSName, ZoneId: f.PrimaryLoadBalancerZoneID, EvaluateTargetHealth: pulumi.Bool(true),
		}},
	}, in...); err != nil {
		return err
	}
	_, err = route53.NewRecord(ctx, name+"-secondary-record", &route53.RecordArgs{
		ZoneId:        pulumi.String(f.HostedZoneID),
		Name:          pulumi.String(f.Domain),
		Type:          pulumi.String("A"),
		SetIdentifier: pulumi.String("secondary-" + s.Region),
		FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
			route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("SECONDARY")},
		},
		Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
			Name: c.WebTier.LoadBalancerDNSName, ZoneId: c.WebTier.LoadBalancerZoneID,
			EvaluateTargetHealth: pulumi.Bool(true),
		}},
	}, in...)
	return err
}
