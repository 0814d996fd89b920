package awssim

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Secret rotation: a Serverless Application Repository application deployed as a CloudFormation stack (the
// rotation function), and the rotation that points a secret at it.

func init() {
	models["aws:serverlessrepository/cloudFormationStack:CloudFormationStack"] = sarStackModel
	models["aws:secretsmanager/secretRotation:SecretRotation"] = secretRotationModel
}

var (
	sarApplicationID = regexp.MustCompile(`^arn:aws:serverlessrepo:[a-z0-9-]+:\d{12}:applications/[A-Za-z0-9-]+$`)
	sarStackName     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,127}$`)
	sarCapabilities  = map[string]bool{"CAPABILITY_IAM": true, "CAPABILITY_NAMED_IAM": true,
		"CAPABILITY_RESOURCE_POLICY": true, "CAPABILITY_AUTO_EXPAND": true}
	lambdaFunctionName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// rotationApplications are the Secrets Manager rotation applications the simulation deploys: AWS's published
// single-user rotation functions for RDS, which create an IAM role (CAPABILITY_IAM) and let Secrets Manager
// invoke the function (CAPABILITY_RESOURCE_POLICY), and answer the function's ARN as RotationLambdaARN.
var rotationApplications = map[string]bool{
	"SecretsManagerRDSPostgreSQLRotationSingleUser": true,
	"SecretsManagerRDSMySQLRotationSingleUser":      true,
}

func sarStackModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	app := stringInput(in, "applicationId")
	if !sarApplicationID.MatchString(app) {
		return "", nil, refuse("BadRequestException", "Invalid applicationId %q: use "+
			"arn:aws:serverlessrepo:<region>:<account>:applications/<name>", app)
	}
	name := app[strings.LastIndex(app, "/")+1:]
	if !rotationApplications[name] {
		return "", nil, fmt.Errorf("awssim: no model for Serverless Application Repository application %s; add "+
			"one so that tests see what it deploys", name)
	}
	stack := stringInput(in, "name")
	if !sarStackName.MatchString(stack) {
		return "", nil, refuse("ValidationError", "Stack name %q must start with a letter and hold letters, "+
			"digits and hyphens, 128 at most", stack)
	}
	caps := map[string]bool{}
	for _, c := range stringsInput(in, "capabilities") {
		if !sarCapabilities[c] {
			return "", nil, refuse("BadRequestException", "Invalid capability %q", c)
		}
		caps[c] = true
	}
	if !caps["CAPABILITY_IAM"] || !caps["CAPABILITY_RESOURCE_POLICY"] {
		return "", nil, refuse("InsufficientCapabilitiesException", "Requires capabilities: [CAPABILITY_IAM, "+
			"CAPABILITY_RESOURCE_POLICY]: the application creates an IAM role and a resource policy")
	}
	for _, p := range []string{"endpoint", "functionName"} {
		if v := lookup(in, "parameters."+p); v.IsNull() && !in["parameters"].ContainsUnknowns() {
			return "", nil, refuse("ValidationError", "Parameters: [%s] must have values", p)
		}
	}
	function := stringInput(in, "parameters.functionName")
	if known(in, "parameters") && !lambdaFunctionName.MatchString(function) {
		return "", nil, refuse("ValidationError", "functionName %q must be 1 to 64 letters, digits, - or _", function)
	}
	if e := stringInput(in, "parameters.endpoint"); known(in, "parameters") && e != "https://secretsmanager."+r.Region+".amazonaws.com" {
		return "", nil, refuse("ValidationError", "endpoint %q is not Secrets Manager's endpoint in %s", e, r.Region)
	}
	id := arn("cloudformation", r.Region, fmt.Sprintf("stack/serverlessrepo-%s/%s", stack, s.uuid(r.URN)))
	out := echo(r, map[string]any{"outputs": map[string]any{
		"RotationLambdaARN": arn("lambda", r.Region, "function:"+function),
	}})
	return id, out, nil
}

func secretRotationModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	id := stringInput(in, "secretId")
	if known(in, "secretId") {
		secret := s.graph.byID[id]
		if secret == nil || secret.Type != "aws:secretsmanager/secret:Secret" || secret.Region != r.Region {
			return "", nil, refuse("ResourceNotFoundException", "Secrets Manager can't find the specified secret %s in %s", id, r.Region)
		}
	}
	if known(in, "rotationLambdaArn") {
		fn := stringInput(in, "rotationLambdaArn")
		if parts := strings.Split(fn, ":"); len(parts) < 7 || parts[2] != "lambda" || parts[3] != r.Region {
			return "", nil, refuse("InvalidParameterException", "RotationLambdaARN %q is not a Lambda function in %s", fn, r.Region)
		}
	}
	days, hasDays := numberInput(in, "rotationRules.automaticallyAfterDays")
	if hasDays && (days < 1 || days > 1000) {
		return "", nil, refuse("InvalidParameterException", "AutomaticallyAfterDays %v must be between 1 and 1000", days)
	}
	if !hasDays && stringInput(in, "rotationRules.scheduleExpression") == "" {
		return "", nil, refuse("InvalidParameterException", "RotationRules needs AutomaticallyAfterDays or ScheduleExpression")
	}
	return id, echo(r, map[string]any{"rotationEnabled": true}), nil
}
