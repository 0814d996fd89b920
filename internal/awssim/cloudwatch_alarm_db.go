package awssim

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// A minimal CloudWatch metric alarm model, added by the database/DR work for the replica-lag alarm. The
// observability work adds its own; the registration below only fills the slot when nothing else did, and the
// two are to be merged into one.

func init() {
	if _, ok := models["aws:cloudwatch/metricAlarm:MetricAlarm"]; !ok {
		models["aws:cloudwatch/metricAlarm:MetricAlarm"] = dbMetricAlarmModel
	}
}

var dbAlarmOperators = map[string]bool{"GreaterThanOrEqualToThreshold": true, "GreaterThanThreshold": true,
	"LessThanThreshold": true, "LessThanOrEqualToThreshold": true, "LessThanLowerOrGreaterThanUpperThreshold": true,
	"LessThanLowerThreshold": true, "GreaterThanUpperThreshold": true}

var dbAlarmStatistics = map[string]bool{"SampleCount": true, "Average": true, "Sum": true, "Minimum": true,
	"Maximum": true}

func dbMetricAlarmModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	if op := stringInput(in, "comparisonOperator"); !dbAlarmOperators[op] {
		return "", nil, refuse("ValidationError", "ComparisonOperator %q is not valid", op)
	}
	periods, _ := numberInput(in, "evaluationPeriods")
	if periods < 1 {
		return "", nil, refuse("ValidationError", "EvaluationPeriods must be at least 1, got %v", periods)
	}
	if d, ok := numberInput(in, "datapointsToAlarm"); ok && (d < 1 || d > periods) {
		return "", nil, refuse("ValidationError", "DatapointsToAlarm %v must be between 1 and "+
			"EvaluationPeriods (%v)", d, periods)
	}
	queries := rdsHas(in, "metricQueries")
	if !queries {
		if stringInput(in, "metricName") == "" || stringInput(in, "namespace") == "" {
			return "", nil, refuse("ValidationError", "An alarm on a single metric needs metricName and namespace")
		}
		p, ok := numberInput(in, "period")
		if !ok || (p != 10 && p != 20 && p != 30 && (p < 60 || int(p)%60 != 0)) {
			return "", nil, refuse("ValidationError", "Period %v must be 10, 20, 30 or a multiple of 60", p)
		}
		stat := stringInput(in, "statistic")
		ext := stringInput(in, "extendedStatistic")
		if (stat == "") == (ext == "") {
			return "", nil, refuse("ValidationError", "Exactly one of statistic and extendedStatistic is required")
		}
		if stat != "" && !dbAlarmStatistics[stat] {
			return "", nil, refuse("ValidationError", "Statistic %q is not valid", stat)
		}
	}
	if !rdsHas(in, "threshold") && !rdsHas(in, "thresholdMetricId") {
		return "", nil, refuse("ValidationError", "threshold is required")
	}
	if t := stringInput(in, "treatMissingData"); t != "" && t != "missing" && t != "ignore" && t != "breaching" &&
		t != "notBreaching" {
		return "", nil, refuse("ValidationError", "TreatMissingData %q must be missing, ignore, breaching or "+
			"notBreaching", t)
	}
	for _, key := range []string{"alarmActions", "okActions", "insufficientDataActions"} {
		for _, a := range stringsInput(in, key) {
			parts := strings.Split(a, ":")
			if len(parts) >= 4 && parts[0] == "arn" && parts[3] != "" && parts[3] != r.Region {
				return "", nil, refuse("ValidationError", "Invalid region %s specified in %s. Only %s is "+
					"supported: an alarm's actions must be in its own region", parts[3], key, r.Region)
			}
		}
	}
	name := s.autoName(r, "name", 255)
	out := echo(r, map[string]any{"name": name, "arn": arn("cloudwatch", r.Region, "alarm:"+name)})
	setDefault(out, "actionsEnabled", true)
	setDefault(out, "treatMissingData", "missing")
	return name, out, nil
}
