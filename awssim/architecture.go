package awssim

import (
	"fmt"
	"strings"
	"unicode"
)

// An AMI runs on one CPU architecture. EC2 accepts a launch template or an Auto Scaling group whose image
// and instance types disagree, but no instance ever launches: RunInstances refuses an x86_64 image on a
// Graviton type and the reverse. These checks run over the whole graph, for the images the simulation
// handed out (the Amazon Linux 2023 parameters); an image id it did not issue is the program's to know.

// instanceArchitecture is the architecture of an instance type: the "g" processor option of AWS's naming
// is AWS Graviton, arm64 (Amazon EC2 Instance Types guide, "Amazon EC2 instance type naming conventions",
// https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html); a1 is the first Graviton.
func instanceArchitecture(instanceType string) string {
	family, _, _ := strings.Cut(instanceType, ".")
	family, _, _ = strings.Cut(family, "-")
	if family == "a1" {
		return "arm64"
	}
	options := strings.TrimLeftFunc(strings.TrimLeftFunc(family, unicode.IsLetter), unicode.IsDigit)
	if strings.ContainsRune(options, 'g') {
		return "arm64"
	}
	return "x86_64"
}

// amiArchitecture is the architecture of an image the simulation issued in region, or "".
func amiArchitecture(region, imageID string) string {
	for param, arch := range al2023Parameters {
		if AMI(region, param) == imageID {
			return arch
		}
	}
	return ""
}

func (g *Graph) architectureMismatches() []string {
	var out []string
	check := func(r *Resource, what, imageID, instanceType string) {
		image := amiArchitecture(r.Region, imageID)
		if image == "" || instanceType == "" {
			return
		}
		if arch := instanceArchitecture(instanceType); arch != image {
			out = append(out, fmt.Sprintf("%s: %s launches image %s (%s) on instance type %s (%s): EC2 refuses "+
				"to run an image on another architecture, so no instance would start. Use an image of the "+
				"instance type's architecture.", r.URN, what, imageID, image, instanceType, arch))
		}
	}
	for _, r := range g.byURN {
		switch r.Type {
		case "aws:ec2/launchTemplate:LaunchTemplate":
			check(r, "launch template", stringInput(r.Inputs, "imageId"), stringInput(r.Inputs, "instanceType"))
		case "aws:autoscaling/group:Group":
			p := "mixedInstancesPolicy.launchTemplate."
			lt := g.byID[stringInput(r.Inputs, p+"launchTemplateSpecification.launchTemplateId")]
			if lt == nil {
				continue
			}
			for _, o := range objectsInput(r.Inputs, p+"overrides") {
				check(r, "the group's mixed instances policy", stringInput(lt.Inputs, "imageId"), stringInput(o, "instanceType"))
			}
		}
	}
	return out
}
