package vpn

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Tunnel logs and tunnel alarms.

// newLogGroup creates the group both tunnels log to. Site-to-Site VPN takes the group's ARN per tunnel
// (VpnTunnelLogOptionsSpecification.CloudWatchLogOptions.LogGroupArn); a prefix rather than a fixed name
// keeps two stacks in one account and region apart.
func newLogGroup(ctx *pulumi.Context, name string, retentionDays int, tags pulumi.StringMap,
	opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	return cloudwatch.NewLogGroup(ctx, name+"-tunnel-logs", &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.Sprintf("/vpn/%s-", name),
		RetentionInDays: pulumi.Int(retentionDays),
		Tags:            tags,
	}, opts...)
}

// TunnelDownMinutes is how long a tunnel must be down before its alarm fires: long enough to ride out a
// rekey or an AWS endpoint replacement, which move traffic to the other tunnel, short enough that losing
// the second tunnel of a pair is not a surprise.
const TunnelDownMinutes = 5

// alarms watches each tunnel's TunnelState (AWS/VPN, dimensions VpnId and TunnelIpAddress): 1 when the
// tunnel is up (static) or its BGP session established, 0 otherwise (Site-to-Site VPN user guide,
// "Monitoring your Site-to-Site VPN tunnels using Amazon CloudWatch").
func (b *builder) alarms() error {
	actions := pulumi.Array{}
	for _, a := range b.s.AlarmActions {
		actions = append(actions, a)
	}
	conn := b.v.Connection
	for i, address := range []pulumi.StringOutput{conn.Tunnel1Address, conn.Tunnel2Address} {
		tunnel := fmt.Sprintf("tunnel%d", i+1)
		alarm, err := cloudwatch.NewMetricAlarm(b.ctx, b.name+"-"+tunnel+"-down", &cloudwatch.MetricAlarmArgs{
			AlarmDescription: pulumi.Sprintf("VPN %s to the data centre: tunnel %d has been down for %d minutes. "+
				"Traffic uses the other tunnel; if both are down the data centre is cut off. Read the tunnel logs "+
				"in CloudWatch Logs.", b.name, i+1, TunnelDownMinutes),
			Namespace:          pulumi.String("AWS/VPN"),
			MetricName:         pulumi.String("TunnelState"),
			Dimensions:         pulumi.StringMap{"VpnId": conn.ID(), "TunnelIpAddress": address},
			Statistic:          pulumi.String("Maximum"),
			Period:             pulumi.Int(60),
			EvaluationPeriods:  pulumi.Int(TunnelDownMinutes),
			DatapointsToAlarm:  pulumi.Int(TunnelDownMinutes),
			ComparisonOperator: pulumi.String("LessThanThreshold"),
			Threshold:          pulumi.Float64(1),
			// No data is no evidence that the tunnel is up: a tunnel nobody watches counts as down.
			TreatMissingData: pulumi.String("breaching"),
			AlarmActions:     actions,
			OkActions:        actions,
			Tags:             b.tags(b.name + "-" + tunnel + "-down"),
		}, b.parent)
		if err != nil {
			return err
		}
		b.v.TunnelAlarmARNs = append(b.v.TunnelAlarmARNs, alarm.Arn)
	}
	return nil
}
