package observability

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DashboardSpec is what the dashboard shows, as plain values once the resources exist. An empty field leaves
// its rows out.
type DashboardSpec struct {
	Region       string // region of every widget but the replica's
	LoadBalancer string // ALB ARN suffix, app/<name>/<id>
	TargetGroup  string // targetgroup/<name>/<id>
	ASGName      string
	ASGMaxSize   int
	DBInstance   string
	// Replica lag lives in the replica's region; the alarm is the DR component's.
	ReplicaIdentifier  string
	ReplicaRegion      string
	ReplicaLagAlarmARN string
	// The data centre link and the database migration: a VPN connection id (vpn-...), and a DMS replication
	// instance and task identifier.
	VPNConnectionID     string
	ReplicationInstance string
	ReplicationTask     string
	// CDCLatencyAlarmSeconds draws the migration's latency alarm on its graph; 0 draws none.
	CDCLatencyAlarmSeconds float64
	// AlarmARNs are shown in a status row at the top.
	AlarmARNs []string
	// Thresholds draw the alarm lines on the graphs.
	Thresholds Thresholds
}

// Dashboard layout: CloudWatch's grid is 24 units wide.
const (
	gridWidth    = 24
	headerHeight = 1
	graphHeight  = 6
)

type widget struct {
	Type       string         `json:"type"`
	X          int            `json:"x"`
	Y          int            `json:"y"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Properties map[string]any `json:"properties"`
}

// graph is one metric widget: its title, the metric lines and optional alarm lines.
type graph struct {
	title   string
	region  string
	metrics [][]any
	lines   []map[string]any // horizontal annotations
	alarm   string           // an alarm ARN: the widget graphs that alarm instead of metrics
}

// row is one concern of the dashboard.
type row struct {
	title  string
	graphs []graph
}

// metric builds one metric line: namespace, name, dimension pairs, then its rendering options.
func metric(namespace, name string, dims []string, stat, label string) []any {
	out := []any{namespace, name}
	for _, d := range dims {
		out = append(out, d)
	}
	return append(out, map[string]any{"stat": stat, "label": label})
}

func line(label string, v float64) map[string]any { return map[string]any{"label": label, "value": v} }

// DashboardBody renders the dashboard JSON: one row per concern (alarms, traffic, latency, errors, capacity,
// database, replica lag, the VPN to the data centre, the DMS migration), each row a header and its graphs
// side by side.
func DashboardBody(s DashboardSpec) (string, error) {
	if s.Region == "" {
		return "", fmt.Errorf("observability: dashboard needs a region")
	}
	lb := []string{"LoadBalancer", s.LoadBalancer}
	lbTG := []string{"LoadBalancer", s.LoadBalancer, "TargetGroup", s.TargetGroup}
	asg := []string{"AutoScalingGroupName", s.ASGName}
	db := []string{"DBInstanceIdentifier", s.DBInstance}
	const elb, rds = "AWS/ApplicationELB", "AWS/RDS"
	t := s.Thresholds

	var rows []row
	if s.LoadBalancer != "" {
		rows = append(rows,
			row{"Traffic", []graph{
				{title: "Requests per minute", metrics: [][]any{metric(elb, "RequestCount", lb, "Sum", "requests")}},
				{title: "Connections", metrics: [][]any{
					metric(elb, "ActiveConnectionCount", lb, "Sum", "active"),
					metric(elb, "NewConnectionCount", lb, "Sum", "new"),
				}},
			}},
			row{"Latency", []graph{
				{title: "Target response time (seconds)", metrics: [][]any{
					metric(elb, "TargetResponseTime", lbTG, "p50", "p50"),
					metric(elb, "TargetResponseTime", lbTG, "p90", "p90"),
					metric(elb, "TargetResponseTime", lbTG, "p99", "p99"),
				}, lines: []map[string]any{line("p99 alarm", t.TargetResponseTimeP99Seconds)}},
			}},
			row{"Errors", []graph{
				{title: "Load balancer errors per minute", metrics: [][]any{
					metric(elb, "HTTPCode_ELB_5XX_Count", lb, "Sum", "ELB 5XX"),
					metric(elb, "HTTPCode_ELB_4XX_Count", lb, "Sum", "ELB 4XX"),
				}, lines: []map[string]any{line("ELB 5XX alarm", t.ALB5XXPerMinute)}},
				{title: "Application errors per minute", metrics: [][]any{
					metric(elb, "HTTPCode_Target_5XX_Count", lbTG, "Sum", "target 5XX"),
					metric(elb, "HTTPCode_Target_4XX_Count", lbTG, "Sum", "target 4XX"),
				}, lines: []map[string]any{line("target 5XX alarm", t.Target5XXPerMinute)}},
			}},
		)
	}
	var capacity []graph
	if s.LoadBalancer != "" {
		capacity = append(capacity, graph{title: "Targets", metrics: [][]any{
			metric(elb, "HealthyHostCount", lbTG, "Minimum", "healthy"),
			metric(elb, "UnHealthyHostCount", lbTG, "Maximum", "unhealthy"),
		}})
	}
	if s.ASGName != "" {
		capacity = append(capacity,
			graph{title: "Instances in service", metrics: [][]any{
				metric("AWS/AutoScaling", "GroupInServiceInstances", asg, "Minimum", "in service"),
				metric("AWS/AutoScaling", "GroupDesiredCapacity", asg, "Maximum", "desired"),
			}, lines: []map[string]any{line("maximum size", float64(s.ASGMaxSize))}},
			graph{title: "Instance CPU (%)", metrics: [][]any{
				metric("AWS/EC2", "CPUUtilization", asg, "Average", "average"),
				metric("AWS/EC2", "CPUUtilization", asg, "Maximum", "hottest"),
			}, lines: []map[string]any{line("CPU alarm", t.InstanceCPUPercent)}},
		)
	}
	if len(capacity) > 0 {
		rows = append(rows, row{"Capacity", capacity})
	}
	if s.DBInstance != "" {
		rows = append(rows, row{"Database", []graph{
			{title: "Database CPU (%)", metrics: [][]any{metric(rds, "CPUUtilization", db, "Average", "CPU")},
				lines: []map[string]any{line("CPU alarm", t.DBCPUPercent)}},
			{title: "Free storage (bytes)", metrics: [][]any{metric(rds, "FreeStorageSpace", db, "Minimum", "free")},
				lines: []map[string]any{line("free storage alarm", t.DBFreeStorageGiB*gib)}},
			{title: "Connections", metrics: [][]any{metric(rds, "DatabaseConnections", db, "Maximum", "connections")},
				lines: []map[string]any{line("connections alarm", t.DBConnections)}},
		}})
	}
	if s.ReplicaIdentifier != "" {
		graphs := []graph{{
			title:  "Replica lag (seconds), " + s.ReplicaRegion,
			region: s.ReplicaRegion,
			metrics: [][]any{metric(rds, "ReplicaLag", []string{"DBInstanceIdentifier", s.ReplicaIdentifier},
				"Maximum", "lag")},
		}}
		if s.ReplicaLagAlarmARN != "" {
			graphs = append(graphs, graph{title: "Replica lag alarm (DR, against the RPO)", region: s.ReplicaRegion,
				alarm: s.ReplicaLagAlarmARN})
		}
		rows = append(rows, row{"Replica lag", graphs})
	}

	if s.VPNConnectionID != "" {
		vpn := []string{"VpnId", s.VPNConnectionID}
		rows = append(rows, row{"Data centre link (VPN)", []graph{
			// TunnelState is 1 for a tunnel that is up (a BGP session established), 0 otherwise.
			{title: "Tunnel state (1 = up, below 1 = a tunnel down)", metrics: [][]any{
				metric("AWS/VPN", "TunnelState", vpn, "Minimum", "worst minute"),
				metric("AWS/VPN", "TunnelState", vpn, "Average", "average"),
			}},
			{title: "Traffic (bytes)", metrics: [][]any{
				metric("AWS/VPN", "TunnelDataIn", vpn, "Sum", "from the data centre"),
				metric("AWS/VPN", "TunnelDataOut", vpn, "Sum", "to the data centre"),
			}},
		}})
	}
	if s.ReplicationInstance != "" {
		instance := []string{"ReplicationInstanceIdentifier", s.ReplicationInstance}
		task := []string{"ReplicationInstanceIdentifier", s.ReplicationInstance, "ReplicationTaskIdentifier", s.ReplicationTask}
		const dmsNS = "AWS/DMS"
		latency := graph{title: "CDC latency (seconds): zero before cutover", metrics: [][]any{
			metric(dmsNS, "CDCLatencySource", task, "Maximum", "source"),
			metric(dmsNS, "CDCLatencyTarget", task, "Maximum", "target"),
		}}
		if s.CDCLatencyAlarmSeconds > 0 {
			latency.lines = []map[string]any{line("latency alarm", s.CDCLatencyAlarmSeconds)}
		}
		rows = append(rows, row{"Database migration (DMS)", []graph{
			latency,
			{title: "Rows per second", metrics: [][]any{
				metric(dmsNS, "FullLoadThroughputRowsTarget", task, "Average", "full load"),
				metric(dmsNS, "CDCThroughputRowsTarget", task, "Average", "changes"),
			}},
			{title: "Replication instance", metrics: [][]any{
				metric(dmsNS, "CPUUtilization", instance, "Average", "CPU %"),
				metric(dmsNS, "FreeStorageSpace", instance, "Minimum", "free storage (bytes)"),
			}},
		}})
	}

	var widgets []widget
	y := 0
	if len(s.AlarmARNs) > 0 {
		alarms := append([]string(nil), s.AlarmARNs...)
		sort.Strings(alarms)
		widgets = append(widgets,
			widget{Type: "text", X: 0, Y: y, Width: gridWidth, Height: headerHeight,
				Properties: map[string]any{"markdown": "## Alarms"}},
			widget{Type: "alarm", X: 0, Y: y + headerHeight, Width: gridWidth, Height: 3,
				Properties: map[string]any{"title": "Alarm status", "alarms": alarms}})
		y += headerHeight + 3
	}
	for _, r := range rows {
		widgets = append(widgets, widget{Type: "text", X: 0, Y: y, Width: gridWidth, Height: headerHeight,
			Properties: map[string]any{"markdown": "## " + r.title}})
		y += headerHeight
		width := gridWidth / len(r.graphs)
		for i, g := range r.graphs {
			region := g.region
			if region == "" {
				region = s.Region
			}
			props := map[string]any{"title": g.title, "region": region, "view": "timeSeries", "period": 60}
			if g.alarm != "" {
				props["annotations"] = map[string]any{"alarms": []string{g.alarm}}
			} else {
				props["metrics"] = g.metrics
				if len(g.lines) > 0 {
					props["annotations"] = map[string]any{"horizontal": g.lines}
				}
			}
			widgets = append(widgets, widget{Type: "metric", X: i * width, Y: y, Width: width, Height: graphHeight,
				Properties: props})
		}
		y += graphHeight
	}
	if len(widgets) == 0 {
		widgets = append(widgets, widget{Type: "text", Width: gridWidth, Height: 2, Properties: map[string]any{
			"markdown": "Nothing to watch yet: give the observability component a load balancer, group or database."}})
	}
	out, err := json.Marshal(map[string]any{"widgets": widgets})
	return string(out), err
}

// orEmpty lets optional inputs join pulumi.All.
func orEmpty(in pulumi.StringInput) pulumi.StringInput {
	if in == nil {
		return pulumi.String("")
	}
	return in
}

// dashboard registers the dashboard, its body built from the real names once they are known.
func (b *builder) dashboard(alarmARNs map[string]pulumi.StringOutput) (pulumi.StringOutput, error) {
	a := b.args
	kinds := make([]string, 0, len(alarmARNs))
	for k := range alarmARNs {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	inputs := []any{orEmpty(a.LoadBalancerARNSuffix), orEmpty(a.TargetGroupARNSuffix), orEmpty(a.ASGName),
		orEmpty(a.DBInstanceIdentifier), orEmpty(a.ReplicaIdentifier), orEmpty(a.ReplicaLagAlarmARN),
		orEmpty(a.VPNConnectionID), orEmpty(a.ReplicationInstanceIdentifier), orEmpty(a.ReplicationTaskIdentifier)}
	const fixed = 9 // the inputs above; the alarm ARNs follow
	for _, k := range kinds {
		inputs = append(inputs, alarmARNs[k])
	}
	for _, arn := range a.OtherAlarmARNs {
		inputs = append(inputs, arn)
	}
	body := pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		spec := DashboardSpec{
			Region: a.Region, LoadBalancer: v[0].(string), TargetGroup: v[1].(string), ASGName: v[2].(string),
			ASGMaxSize: a.ASGMaxSize, DBInstance: v[3].(string), ReplicaIdentifier: v[4].(string),
			ReplicaRegion: a.ReplicaRegion, ReplicaLagAlarmARN: v[5].(string), Thresholds: a.Thresholds,
			VPNConnectionID: v[6].(string), ReplicationInstance: v[7].(string), ReplicationTask: v[8].(string),
			CDCLatencyAlarmSeconds: a.CDCLatencyAlarmSeconds,
		}
		for _, arn := range v[fixed:] {
			spec.AlarmARNs = append(spec.AlarmARNs, arn.(string))
		}
		return DashboardBody(spec)
	}).(pulumi.StringOutput)
	d, err := cloudwatch.NewDashboard(b.ctx, b.name+"-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(a.DashboardName),
		DashboardBody: body,
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return d.DashboardName, nil
}
