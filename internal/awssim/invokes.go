package awssim

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// al2023Parameters are the public SSM parameters that name the latest Amazon Linux 2023 AMI.
var al2023Parameters = map[string]string{
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64": "x86_64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64":  "arm64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64":     "x86_64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64":      "arm64",
}

func init() {
	invokes["aws:index/getAvailabilityZones:getAvailabilityZones"] = func(s *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
		if st := stringInput(args, "state"); st != "" && st != "available" {
			return nil, refuse("InvalidParameterValue", "state %q: the simulation only models available zones", st)
		}
		var names, ids, groups []any
		for _, z := range Zones(region) {
			names, ids, groups = append(names, z.Name), append(ids, z.ID), append(groups, region)
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": region, "names": names, "zoneIds": ids, "groupNames": groups, "state": "available",
		}), nil
	}
	invokes["aws:index/getCallerIdentity:getCallerIdentity"] = func(s *Sim, region string, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": AccountID, "accountId": AccountID, "userId": "AIDACKCEVSQ6C2EXAMPLE",
			"arn": fmt.Sprintf("arn:aws:iam::%s:user/kit-deployer", AccountID),
		}), nil
	}
	invokes["aws:index/getRegion:getRegion"] = func(s *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
		if n := stringInput(args, "name"); n != "" && n != region {
			region = n
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": region, "name": region, "region": region, "endpoint": "ec2." + region + ".amazonaws.com",
			"description": region,
		}), nil
	}
	invokes["aws:index/getPartition:getPartition"] = func(s *Sim, region string, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws",
		}), nil
	}
	invokes["aws:ssm/getParameter:getParameter"] = func(s *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := stringInput(args, "name")
		if _, ok := al2023Parameters[name]; !ok {
			return nil, refuse("ParameterNotFound", "parameter %s does not exist in %s (the simulation knows the "+
				"Amazon Linux 2023 AMI parameters)", name, region)
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": name, "name": name, "type": "String", "value": AMI(region, name), "version": 112,
			"arn":            arn("ssm", region, "parameter"+name),
			"insecureValue":  AMI(region, name),
			"withDecryption": true,
		}), nil
	}
}

// AMI is the image id the simulation's SSM parameter gives for region: different per region, as real AMIs are.
func AMI(region, parameter string) string {
	return "ami-0" + (&Sim{}).hash(region+parameter, 16)
}
