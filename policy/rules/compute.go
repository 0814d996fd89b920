package rules

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// EC2 instances and launch templates: what AWS Config's ec2-instance-no-public-ip, encrypted-volumes,
// ec2-imdsv2-check and Pulumi's aws-guard "ec2-instance-no-public-ip" / "ebs-volume-encrypted" check.

func computeRules() []Rule {
	return []Rule{
		{
			Name:          "ec2-instance-no-public-ip",
			Controls:      []string{"EC2.9"},
			Description:   "EC2 instances get no public IP address: they sit behind the load balancer and reach out through NAT.",
			Level:         Mandatory,
			Types:         []string{typeInstance},
			CheckResource: instanceNoPublicIP,
		},
		{
			Name:          "launch-template-no-public-ip",
			Controls:      []string{"EC2.25"},
			Description:   "Launch templates do not ask for a public IP address on any network interface.",
			Level:         Mandatory,
			Types:         []string{typeLaunchTemplate},
			CheckResource: launchTemplateNoPublicIP,
		},
		{
			Name:          "ec2-instance-volumes-encrypted",
			Controls:      []string{"EC2.3"},
			Description:   "EC2 instances encrypt their root and EBS volumes (rootBlockDevice.encrypted, ebsBlockDevices[].encrypted).",
			Level:         Mandatory,
			Types:         []string{typeInstance},
			CheckResource: instanceVolumesEncrypted,
		},
		{
			Name:          "launch-template-volumes-encrypted",
			Controls:      []string{"EC2.3"},
			Description:   "Launch templates declare their EBS volumes and encrypt every one (blockDeviceMappings[].ebs.encrypted).",
			Level:         Mandatory,
			Types:         []string{typeLaunchTemplate},
			CheckResource: launchTemplateVolumesEncrypted,
		},
		{
			Name:          "ec2-imdsv2-required",
			Controls:      []string{"EC2.8"},
			Description:   "Instances and launch templates require IMDSv2 (metadataOptions.httpTokens = required), closing the SSRF path to instance credentials.",
			Level:         Mandatory,
			Types:         []string{typeInstance, typeLaunchTemplate},
			CheckResource: imdsv2Required,
		},
	}
}

func instanceNoPublicIP(_ Env, r policyx.AnalyzerResource) []string {
	if isTrue(prop(r, "associatePublicIpAddress")) {
		return []string{"associatePublicIpAddress is true: set it to false and reach the instance through the load balancer or SSM"}
	}
	return nil
}

func launchTemplateNoPublicIP(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	for i, ni := range items(prop(r, "networkInterfaces")) {
		if ni.IsMap() && isTrue(get(ni.AsMap(), "associatePublicIpAddress")) {
			out = append(out, fmt.Sprintf("networkInterfaces[%d].associatePublicIpAddress is true: set it to false", i))
		}
	}
	return out
}

func instanceVolumesEncrypted(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	if knownFalse(prop(r, "rootBlockDevice.encrypted")) {
		out = append(out, "rootBlockDevice.encrypted is not true: set rootBlockDevice.encrypted = true")
	}
	for i, d := range items(prop(r, "ebsBlockDevices")) {
		if d.IsMap() && knownFalse(get(d.AsMap(), "encrypted")) {
			out = append(out, fmt.Sprintf("ebsBlockDevices[%d].encrypted is not true: set it to true", i))
		}
	}
	return out
}

func launchTemplateVolumesEncrypted(_ Env, r policyx.AnalyzerResource) []string {
	mappings := prop(r, "blockDeviceMappings")
	if mappings.IsComputed() {
		return nil
	}
	var out []string
	ebs := 0
	for i, m := range items(mappings) {
		if !m.IsMap() || get(m.AsMap(), "ebs").IsNull() {
			continue // instance-store or suppressed devices carry no EBS volume
		}
		ebs++
		if knownFalse(get(m.AsMap(), "ebs.encrypted")) {
			out = append(out, fmt.Sprintf("blockDeviceMappings[%d].ebs.encrypted is not \"true\": set it to \"true\"", i))
		}
	}
	if ebs == 0 {
		// Without a mapping the root volume is whatever the AMI's snapshot says, unencrypted unless the
		// account turned on EBS encryption by default, which a program cannot see.
		out = append(out, "no blockDeviceMappings with ebs: declare the root volume with ebs.encrypted = \"true\"")
	}
	return out
}

func imdsv2Required(_ Env, r policyx.AnalyzerResource) []string {
	tokens, known := str(prop(r, "metadataOptions.httpTokens"))
	if !known || tokens == "required" {
		return nil
	}
	if tokens == "" {
		tokens = "absent (AWS then accepts IMDSv1)"
	}
	return []string{fmt.Sprintf("metadataOptions.httpTokens is %s: set it to \"required\"", tokens)}
}
