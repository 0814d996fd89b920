package awssim

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SNS topics and subscriptions, CloudWatch alarms and dashboards: what alarms need to reach a person.

func init() {
	models["aws:sns/topic:Topic"] = snsTopicModel
	models["aws:sns/topicSubscription:TopicSubscription"] = snsSubscriptionModel
	models["aws:sns/topicPolicy:TopicPolicy"] = snsTopicPolicyModel
	models["aws:cloudwatch/metricAlarm:MetricAlarm"] = metricAlarmModel
	models["aws:cloudwatch/dashboard:Dashboard"] = dashboardModel
}

var (
	snsTopicName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	snsTopicARN  = regexp.MustCompile(`^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$`)
	emailAddress = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	e164         = regexp.MustCompile(`^\+?[1-9]\d{1,14}$`)
)

func snsTopicModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	fifo := boolInput(r.Inputs, "fifoTopic", false)
	name := stringInput(r.Inputs, "name")
	if name == "" {
		name = s.autoName(r, "name", 256)
		if fifo {
			name += ".fifo"
		}
	}
	base := strings.TrimSuffix(name, ".fifo")
	if !snsTopicName.MatchString(base) || len(name) > 256 {
		return "", nil, refuse("InvalidParameter", "Invalid parameter: Topic Name: %q must be 1-256 letters, "+
			"digits, hyphens or underscores", name)
	}
	if fifo != strings.HasSuffix(name, ".fifo") {
		return "", nil, refuse("InvalidParameter", "Invalid parameter: Topic Name: a FIFO topic's name must end "+
			"in .fifo, and only a FIFO topic's may (%q)", name)
	}
	topicARN := arn("sns", r.Region, name)
	if known(r.Inputs, "policy") {
		if err := policyDocument("policy", stringInput(r.Inputs, "policy")); err != nil {
			return "", nil, refuse("InvalidParameter", "Invalid parameter: Policy Error: %v", err)
		}
	}
	out := echo(r, map[string]any{"arn": topicARN, "name": name, "owner": AccountID})
	setDefault(out, "policy", fmt.Sprintf(`{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":`+
		`"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:Subscribe",`+
		`"SNS:GetTopicAttributes"],"Resource":"%s","Condition":{"StringEquals":{"AWS:SourceOwner":"%s"}}}]}`,
		topicARN, AccountID))
	setDefault(out, "signatureVersion", 1)
	setDefault(out, "tracingConfig", "PassThrough")
	setDefault(out, "fifoTopic", fifo)
	return topicARN, out, nil
}

// snsTopicPolicyModel replaces a topic's access policy: the topic must exist in the region, and the policy
// must be a valid policy document.
func snsTopicPolicyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	topic := stringInput(r.Inputs, "arn")
	if known(r.Inputs, "arn") {
		if t := s.graph.byID[topic]; t == nil || t.Type != "aws:sns/topic:Topic" || t.Region != r.Region {
			return "", nil, refuse("NotFound", "Topic does not exist: %s", topic)
		}
	}
	if known(r.Inputs, "policy") {
		if err := policyDocument("policy", stringInput(r.Inputs, "policy")); err != nil {
			return "", nil, refuse("InvalidParameter", "Invalid parameter: Policy Error: %v", err)
		}
	}
	return topic, echo(r, map[string]any{"owner": AccountID}), nil
}

// snsProtocols maps each subscription protocol to a check of its endpoint.
var snsProtocols = map[string]func(endpoint string) bool{
	"email":       emailAddress.MatchString,
	"email-json":  emailAddress.MatchString,
	"http":        func(e string) bool { return strings.HasPrefix(e, "http://") },
	"https":       func(e string) bool { return strings.HasPrefix(e, "https://") },
	"sms":         e164.MatchString,
	"sqs":         func(e string) bool { return strings.HasPrefix(e, "arn:aws:sqs:") },
	"lambda":      func(e string) bool { return strings.HasPrefix(e, "arn:aws:lambda:") },
	"firehose":    func(e string) bool { return strings.HasPrefix(e, "arn:aws:firehose:") },
	"application": func(e string) bool { return strings.HasPrefix(e, "arn:aws:sns:") },
}

func snsSubscriptionModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	protocol := stringInput(r.Inputs, "protocol")
	check, ok := snsProtocols[protocol]
	if !ok {
		return "", nil, refuse("InvalidParameter", "Invalid parameter: Amazon SNS does not support this protocol "+
			"string: %q", protocol)
	}
	endpoint := stringInput(r.Inputs, "endpoint")
	if known(r.Inputs, "endpoint") && !check(endpoint) {
		return "", nil, refuse("InvalidParameter", "Invalid parameter: %s Endpoint %q is not valid for the %s "+
			"protocol", protocol, endpoint, protocol)
	}
	if protocol == "firehose" && !known(r.Inputs, "subscriptionRoleArn") && !r.Inputs.ContainsUnknowns() {
		return "", nil, refuse("InvalidParameter", "Invalid parameter: a firehose subscription needs "+
			"subscriptionRoleArn")
	}
	topic := stringInput(r.Inputs, "topic")
	if known(r.Inputs, "topic") {
		m := snsTopicARN.FindStringSubmatch(topic)
		if m == nil {
			return "", nil, refuse("InvalidParameter", "Invalid parameter: TopicArn %q is not a topic ARN", topic)
		}
		if m[1] != r.Region {
			return "", nil, refuse("InvalidParameter", "Invalid parameter: TopicArn: the topic is in %s, the "+
				"subscription is made in %s", m[1], r.Region)
		}
		if t := s.graph.byID[topic]; t == nil && m[2] == AccountID {
			return "", nil, refuse("NotFound", "Topic does not exist: %s", topic)
		}
	}
	subARN := topic + ":" + s.uuidFrom(r.URN)
	// Email and HTTP endpoints must confirm before SNS delivers anything; the others are live at once.
	pending := protocol == "email" || protocol == "email-json" ||
		((protocol == "http" || protocol == "https") && !boolInput(r.Inputs, "endpointAutoConfirms", false))
	out := echo(r, map[string]any{
		"arn": subARN, "ownerId": AccountID, "pendingConfirmation": pending,
		"confirmationWasAuthenticated": !pending,
	})
	setDefault(out, "confirmationTimeoutInMinutes", 1)
	setDefault(out, "rawMessageDelivery", false)
	return subARN, out, nil
}

var (
	comparisonOperators = map[string]bool{"GreaterThanOrEqualToThreshold": true, "GreaterThanThreshold": true,
		"LessThanThreshold": true, "LessThanOrEqualToThreshold": true}
	// anomalyOperators compare against a band and need thresholdMetricId.
	anomalyOperators = map[string]bool{"LessThanLowerOrGreaterThanUpperThreshold": true,
		"LessThanLowerThreshold": true, "GreaterThanUpperThreshold": true}
	statistics        = map[string]bool{"SampleCount": true, "Average": true, "Sum": true, "Minimum": true, "Maximum": true}
	treatMissingData  = map[string]bool{"missing": true, "ignore": true, "breaching": true, "notBreaching": true}
	extendedStatistic = regexp.MustCompile(`^(p|tm|wm|tc|ts)(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$|^IQM$|^(TM|WM|TC|TS|PR)\(.+\)$`)
	alarmActionARN    = regexp.MustCompile(`^arn:aws:(sns|autoscaling|automate|ssm|ssm-incidents|lambda):([a-z0-9-]+):`)
)

// checkPeriod applies PutMetricAlarm's period rule: 10, 20 or 30 seconds (high resolution) or a multiple of 60.
func checkPeriod(p float64) error {
	if p == 10 || p == 20 || p == 30 || (p >= 60 && math.Mod(p, 60) == 0) {
		return nil
	}
	return refuse("ValidationError", "Period (%v) must be 10, 20, 30 or a multiple of 60", p)
}

func metricAlarmModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	op := stringInput(r.Inputs, "comparisonOperator")
	if !comparisonOperators[op] && !anomalyOperators[op] {
		return "", nil, refuse("ValidationError", "1 validation error detected: Value '%s' at "+
			"'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "+
			"[GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, "+
			"LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold]", op)
	}
	_, hasThreshold := numberInput(r.Inputs, "threshold")
	hasBand := stringInput(r.Inputs, "thresholdMetricId") != ""
	switch {
	case anomalyOperators[op] && !hasBand:
		return "", nil, refuse("ValidationError", "ComparisonOperator %s needs ThresholdMetricId (an anomaly "+
			"detection band)", op)
	case comparisonOperators[op] && !hasThreshold && !r.Inputs.ContainsUnknowns():
		return "", nil, refuse("ValidationError", "Threshold is required with ComparisonOperator %s", op)
	case hasThreshold && hasBand:
		return "", nil, refuse("ValidationError", "Threshold and ThresholdMetricId are mutually exclusive")
	}

	evals, ok := numberInput(r.Inputs, "evaluationPeriods")
	if !ok || evals < 1 {
		return "", nil, refuse("ValidationError", "EvaluationPeriods (%v) must be at least 1", evals)
	}
	if d, ok := numberInput(r.Inputs, "datapointsToAlarm"); ok && (d < 1 || d > evals) {
		return "", nil, refuse("ValidationError", "DatapointsToAlarm (%v) must be between 1 and "+
			"EvaluationPeriods (%v)", d, evals)
	}
	if t := stringInput(r.Inputs, "treatMissingData"); t != "" && !treatMissingData[t] {
		return "", nil, refuse("ValidationError", "TreatMissingData %q must be one of missing, ignore, breaching, "+
			"notBreaching", t)
	}

	metricName, namespace := stringInput(r.Inputs, "metricName"), stringInput(r.Inputs, "namespace")
	queries := objectsInput(r.Inputs, "metricQueries")
	stat, ext := stringInput(r.Inputs, "statistic"), stringInput(r.Inputs, "extendedStatistic")
	period, hasPeriod := numberInput(r.Inputs, "period")
	switch {
	case len(queries) > 0 && (metricName != "" || namespace != "" || stat != "" || ext != "" || hasPeriod):
		return "", nil, refuse("ValidationError", "MetricQueries cannot be combined with MetricName, Namespace, "+
			"Statistic, ExtendedStatistic or Period")
	case len(queries) > 0:
		if err := checkMetricQueries(queries); err != nil {
			return "", nil, err
		}
	case metricName == "" || namespace == "":
		return "", nil, refuse("ValidationError", "an alarm needs MetricName and Namespace, or MetricQueries")
	default:
		switch {
		case stat != "" && ext != "":
			return "", nil, refuse("ValidationError", "Statistic and ExtendedStatistic are mutually exclusive")
		case stat == "" && ext == "":
			return "", nil, refuse("ValidationError", "one of Statistic or ExtendedStatistic is required")
		case stat != "" && !statistics[stat]:
			return "", nil, refuse("ValidationError", "Statistic %q must be one of SampleCount, Average, Sum, "+
				"Minimum, Maximum", stat)
		case ext != "" && !extendedStatistic.MatchString(ext):
			return "", nil, refuse("ValidationError", "ExtendedStatistic %q is not a percentile (p0.0-p100) or "+
				"other supported extended statistic", ext)
		}
		if !hasPeriod {
			return "", nil, refuse("ValidationError", "Period is required with MetricName")
		}
		if err := checkPeriod(period); err != nil {
			return "", nil, err
		}
		// A day of evaluation at most; a week once periods are an hour or longer.
		limit := 86400.0
		if period >= 3600 {
			limit = 7 * 86400
		}
		if period*evals > limit {
			return "", nil, refuse("ValidationError", "Period * EvaluationPeriods (%v s) must not exceed %v s",
				period*evals, limit)
		}
		if e := stringInput(r.Inputs, "evaluateLowSampleCountPercentiles"); e != "" && ext == "" {
			return "", nil, refuse("ValidationError", "EvaluateLowSampleCountPercentiles applies to percentile "+
				"alarms only")
		}
		dims := lookup(r.Inputs, "dimensions")
		if dims.IsObject() {
			if len(dims.ObjectValue()) > 30 {
				return "", nil, refuse("ValidationError", "an alarm takes at most 30 dimensions")
			}
			for k, v := range dims.ObjectValue() {
				if v = unwrap(v); v.IsString() && (v.StringValue() == "" || len(v.StringValue()) > 1024) {
					return "", nil, refuse("ValidationError", "The parameter Dimensions.%s.Value must be a value in "+
						"the range 1-1024", k)
				}
			}
		}
	}

	for _, key := range []string{"alarmActions", "okActions", "insufficientDataActions"} {
		actions := stringsInput(r.Inputs, key)
		if len(actions) > 5 {
			return "", nil, refuse("ValidationError", "%s takes at most 5 actions, got %d", key, len(actions))
		}
		for _, a := range actions {
			m := alarmActionARN.FindStringSubmatch(a)
			if m == nil {
				return "", nil, refuse("ValidationError", "Invalid arn syntax: %s", a)
			}
			if m[2] != r.Region {
				return "", nil, refuse("ValidationError", "Invalid region %s specified. Only %s is supported.",
					m[2], r.Region)
			}
		}
	}

	name := s.autoName(r, "name", 255)
	if len(name) > 255 {
		return "", nil, refuse("ValidationError", "AlarmName is longer than 255 characters")
	}
	out := echo(r, map[string]any{"name": name, "arn": arn("cloudwatch", r.Region, "alarm:"+name)})
	setDefault(out, "actionsEnabled", true)
	setDefault(out, "treatMissingData", "missing")
	if ext != "" {
		setDefault(out, "evaluateLowSampleCountPercentiles", "evaluate")
	}
	return name, out, nil
}

var metricQueryID = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]{0,254}$`)

func checkMetricQueries(queries []resource.PropertyMap) error {
	returning := 0
	for _, q := range queries {
		id := stringInput(q, "id")
		if !metricQueryID.MatchString(id) {
			return refuse("ValidationError", "MetricQuery id %q must start with a lowercase letter and hold only "+
				"letters, digits and underscores", id)
		}
		hasExpr, hasMetric := stringInput(q, "expression") != "", lookup(q, "metric").IsObject()
		if hasExpr == hasMetric {
			return refuse("ValidationError", "MetricQuery %s needs exactly one of Expression or Metric", id)
		}
		if hasMetric {
			if p, ok := numberInput(q, "metric.period"); ok {
				if err := checkPeriod(p); err != nil {
					return err
				}
			}
		}
		if boolInput(q, "returnData", false) {
			returning++
		}
	}
	if returning != 1 {
		return refuse("ValidationError", "exactly one MetricQuery must have ReturnData true, got %d", returning)
	}
	return nil
}

var (
	dashboardName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	widgetTypes   = map[string]bool{"metric": true, "text": true, "log": true, "alarm": true, "explorer": true, "custom": true}
)

func dashboardModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := stringInput(r.Inputs, "dashboardName")
	if !dashboardName.MatchString(name) {
		return "", nil, refuse("InvalidParameterInput", "The value for field DashboardName %q contains invalid "+
			"characters. It can only contain alphanumerics, dash (-) and underscore (_), up to 255 of them.", name)
	}
	if known(r.Inputs, "dashboardBody") {
		if problems := dashboardProblems(stringInput(r.Inputs, "dashboardBody")); len(problems) > 0 {
			return "", nil, refuse("InvalidParameterInput", "The dashboard body is invalid, there are %d "+
				"validation errors: %s", len(problems), strings.Join(problems, "; "))
		}
	}
	// Dashboards are global: their ARN has no region.
	out := echo(r, map[string]any{"dashboardArn": fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s", AccountID, name)})
	return name, out, nil
}

// dashboardProblems validates a dashboard body as PutDashboard does, returning each problem found.
func dashboardProblems(body string) []string {
	var doc struct {
		Widgets *[]json.RawMessage `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		return []string{"body is not valid JSON: " + err.Error()}
	}
	if doc.Widgets == nil {
		return []string{"Should have required property 'widgets'"}
	}
	var out []string
	for i, raw := range *doc.Widgets {
		var w struct {
			Type                string
			X, Y, Width, Height *float64
			Properties          map[string]json.RawMessage
		}
		if err := json.Unmarshal(raw, &w); err != nil {
			out = append(out, fmt.Sprintf("/widgets/%d: %v", i, err))
			continue
		}
		at := func(format string, args ...any) {
			out = append(out, fmt.Sprintf("/widgets/%d: ", i)+fmt.Sprintf(format, args...))
		}
		if !widgetTypes[w.Type] {
			at("type %q should be one of metric, text, log, alarm, explorer, custom", w.Type)
		}
		if w.X != nil && (*w.X < 0 || *w.X > 23) {
			at("x %v should be between 0 and 23", *w.X)
		}
		if w.Width != nil && (*w.Width < 1 || *w.Width > 24) {
			at("width %v should be between 1 and 24", *w.Width)
		}
		if w.X != nil && w.Width != nil && *w.X+*w.Width > 24 {
			at("x + width %v is wider than the 24-unit grid", *w.X+*w.Width)
		}
		if w.Height != nil && (*w.Height < 1 || *w.Height > 1000) {
			at("height %v should be between 1 and 1000", *w.Height)
		}
		if w.Properties == nil {
			at("Should have required property 'properties'")
			continue
		}
		switch w.Type {
		case "text":
			if _, ok := w.Properties["markdown"]; !ok {
				at("Should have required property 'markdown'")
			}
		case "alarm":
			var alarms []string
			if json.Unmarshal(w.Properties["alarms"], &alarms) != nil || len(alarms) == 0 {
				at("Should have required property 'alarms' (a list of alarm ARNs)")
			}
		case "metric":
			var region string
			if json.Unmarshal(w.Properties["region"], &region) != nil || Zones(region) == nil {
				at("Should have required property 'region' naming a region, got %s", w.Properties["region"])
			}
			out = append(out, metricWidgetProblems(i, w.Properties)...)
		}
	}
	sort.Strings(out)
	return out
}

func metricWidgetProblems(i int, props map[string]json.RawMessage) []string {
	var annotations struct {
		Alarms []string `json:"alarms"`
	}
	_ = json.Unmarshal(props["annotations"], &annotations)
	var metrics [][]any
	if raw, ok := props["metrics"]; ok {
		if err := json.Unmarshal(raw, &metrics); err != nil {
			return []string{fmt.Sprintf("/widgets/%d/properties/metrics: should be an array of arrays", i)}
		}
	}
	if len(metrics) == 0 && len(annotations.Alarms) == 0 {
		return []string{fmt.Sprintf("/widgets/%d/properties: a metric widget needs metrics or an alarm annotation", i)}
	}
	var out []string
	for j, m := range metrics {
		strs := 0
		for _, e := range m {
			if s, ok := e.(string); ok && s != "" {
				strs++
			} else if !ok {
				break
			}
		}
		// namespace, metric name, then name/value pairs; "..." repeats the previous line's.
		if strs < 2 || (strs%2 != 0 && m[0] != "..." && m[0] != ".") {
			out = append(out, fmt.Sprintf("/widgets/%d/properties/metrics/%d: should be namespace, metric name "+
				"and dimension name/value pairs, got %v", i, j, m))
		}
	}
	return out
}

// alarmActionsUndeliverable finds alarms whose SNS actions cannot publish: a topic encrypted with the AWS
// managed key, or with a key whose policy does not let CloudWatch use it. AWS accepts both; the alarm history
// then shows "CloudWatch Alarms does not have authorization to access the SNS topic encryption key".
func (g *Graph) alarmActionsUndeliverable() []string {
	var out []string
	for _, r := range g.byURN {
		if r.Type != "aws:cloudwatch/metricAlarm:MetricAlarm" {
			continue
		}
		seen := map[string]bool{}
		for _, key := range []string{"alarmActions", "okActions", "insufficientDataActions"} {
			for _, a := range stringsInput(r.Inputs, key) {
				if seen[a] {
					continue
				}
				seen[a] = true
				topic := g.byID[a]
				if topic == nil || topic.Type != "aws:sns/topic:Topic" {
					continue
				}
				if why := topicKeyBlocksCloudWatch(g, stringInput(topic.Inputs, "kmsMasterKeyId")); why != "" {
					out = append(out, fmt.Sprintf("%s: alarm action %s cannot publish: %s. AWS accepts the alarm, "+
						"but no notification is ever delivered.", r.URN, a, why))
				}
			}
		}
	}
	return out
}

func topicKeyBlocksCloudWatch(g *Graph, ref string) string {
	if ref == "" {
		return ""
	}
	if ref == "alias/aws/sns" || strings.HasSuffix(ref, ":alias/aws/sns") {
		return "the topic is encrypted with the AWS managed key alias/aws/sns, whose policy CloudWatch may not use"
	}
	key := g.kmsKeyByRef(ref)
	if key == nil {
		return ""
	}
	st, err := parsePolicy(stringInput(key.Outputs, "policy"))
	if err != nil {
		return ""
	}
	if !allows(st, "Service", "cloudwatch.amazonaws.com", "kms:Decrypt", "kms:GenerateDataKey") {
		return fmt.Sprintf("the topic's key %s has no key policy statement letting cloudwatch.amazonaws.com use "+
			"kms:Decrypt and kms:GenerateDataKey*", key.ID)
	}
	return ""
}
