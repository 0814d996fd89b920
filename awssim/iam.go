package awssim

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// IAM and CloudWatch Logs: the plumbing every component's logs and roles need.

func init() {
	models["aws:iam/role:Role"] = iamRoleModel
	models["aws:iam/rolePolicy:RolePolicy"] = iamRolePolicyModel
	models["aws:iam/rolePolicyAttachment:RolePolicyAttachment"] = iamRolePolicyAttachmentModel
	models["aws:iam/policy:Policy"] = iamPolicyModel
	models["aws:iam/instanceProfile:InstanceProfile"] = iamInstanceProfileModel
	models["aws:cloudwatch/logGroup:LogGroup"] = logGroupModel
}

// policyDocument checks a JSON policy as IAM does: parsable, a Version, and at least one statement.
func policyDocument(field, doc string) error {
	var p struct {
		Version   string
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return refuse("MalformedPolicyDocument", "%s is not valid JSON: %v", field, err)
	}
	if p.Version != "2012-10-17" && p.Version != "2008-10-17" {
		return refuse("MalformedPolicyDocument", "%s: Version must be 2012-10-17, got %q", field, p.Version)
	}
	if len(p.Statement) == 0 || string(p.Statement) == "[]" || string(p.Statement) == "null" {
		return refuse("MalformedPolicyDocument", "%s: Policy document should not be empty: no Statement", field)
	}
	return nil
}

func iamRoleModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "assumeRolePolicy") {
		if err := policyDocument("assumeRolePolicy", stringInput(r.Inputs, "assumeRolePolicy")); err != nil {
			return "", nil, err
		}
	} else if !r.Inputs.ContainsUnknowns() {
		return "", nil, refuse("ValidationError", "assumeRolePolicy is required")
	}
	name := s.autoName(r, "name", 64)
	if len(name) > 64 {
		return "", nil, refuse("ValidationError", "role name %q is longer than 64 characters", name)
	}
	// Role names are unique in an account: a second stack creating DMS's fixed-name roles collides with the
	// first (terraform-aws-dms #70).
	if s.existingRoles[name] || s.roleByName(name) != nil {
		return "", nil, refuse("EntityAlreadyExists", "Role with name %s already exists.", name)
	}
	path := stringInput(r.Inputs, "path")
	if path == "" {
		path = "/"
	}
	out := echo(r, map[string]any{
		"name": name, "path": path, "uniqueId": "AROA" + s.hash(r.URN, 17),
		"arn": fmt.Sprintf("arn:aws:iam::%s:role%s%s", AccountID, path, name),
	})
	return name, out, nil
}

func (s *Sim) roleByName(name string) *Resource {
	for _, r := range s.graph.byURN {
		if r.Type == "aws:iam/role:Role" && r.ID == name {
			return r
		}
	}
	return nil
}

func iamRolePolicyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	role := stringInput(r.Inputs, "role")
	if known(r.Inputs, "role") && s.roleByName(role) == nil {
		return "", nil, refuse("NoSuchEntity", "The role with name %s cannot be found.", role)
	}
	if known(r.Inputs, "policy") {
		if err := policyDocument("policy", stringInput(r.Inputs, "policy")); err != nil {
			return "", nil, err
		}
	}
	name := s.autoName(r, "name", 128)
	return role + ":" + name, echo(r, map[string]any{"name": name}), nil
}

var managedPolicyARN = regexp.MustCompile(`^arn:aws:iam::(aws|\d{12}):policy/[\w+=,.@/-]+$`)

func iamRolePolicyAttachmentModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	role := stringInput(r.Inputs, "role")
	if known(r.Inputs, "role") && s.roleByName(role) == nil {
		return "", nil, refuse("NoSuchEntity", "The role with name %s cannot be found.", role)
	}
	p := stringInput(r.Inputs, "policyArn")
	if known(r.Inputs, "policyArn") && !managedPolicyARN.MatchString(p) {
		return "", nil, refuse("InvalidInput", "ARN %s is not valid.", p)
	}
	return role + "-" + s.hash(r.URN, 8), echo(r, nil), nil
}

func iamPolicyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "policy") {
		if err := policyDocument("policy", stringInput(r.Inputs, "policy")); err != nil {
			return "", nil, err
		}
	}
	name := s.autoName(r, "name", 128)
	a := fmt.Sprintf("arn:aws:iam::%s:policy/%s", AccountID, name)
	return a, echo(r, map[string]any{"name": name, "arn": a, "policyId": "ANPA" + s.hash(r.URN, 17)}), nil
}

func iamInstanceProfileModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	role := stringInput(r.Inputs, "role")
	if known(r.Inputs, "role") && s.roleByName(role) == nil {
		return "", nil, refuse("NoSuchEntity", "The role with name %s cannot be found.", role)
	}
	name := s.autoName(r, "name", 128)
	return name, echo(r, map[string]any{
		"name": name, "uniqueId": "AIPA" + s.hash(r.URN, 17),
		"arn": fmt.Sprintf("arn:aws:iam::%s:instance-profile/%s", AccountID, name),
	}), nil
}

// logRetentionDays are the only retention periods CloudWatch Logs accepts (PutRetentionPolicy).
var logRetentionDays = map[float64]bool{1: true, 3: true, 5: true, 7: true, 14: true, 30: true, 60: true,
	90: true, 120: true, 150: true, 180: true, 365: true, 400: true, 545: true, 731: true, 1096: true,
	1827: true, 2192: true, 2557: true, 2922: true, 3288: true, 3653: true}

// LogRetentionDays reports whether CloudWatch Logs accepts days as a retention period.
func LogRetentionDays(days int) bool { return logRetentionDays[float64(days)] }

func logGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if d, ok := numberInput(r.Inputs, "retentionInDays"); ok && d != 0 && !logRetentionDays[d] {
		return "", nil, refuse("InvalidParameterException", "1 validation error detected: Value '%v' at "+
			"'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, "+
			"30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]", d)
	}
	name := s.autoName(r, "name", 512)
	if task := s.dmsTaskLoggingTo(name, r.Region); task != nil {
		return "", nil, refuse("ResourceAlreadyExistsException", "The specified log group already exists: "+
			"DMS created %s for the running task %s, which was started before the log group existed", name, task.ID)
	}
	out := echo(r, map[string]any{"name": name, "arn": arn("logs", r.Region, "log-group:"+name)})
	setDefault(out, "logGroupClass", "STANDARD")
	return name, out, nil
}
