package webtier

import (
	"sort"
	"strings"
	"unicode"

	"github.com/migration-kit/kit/components/suggest"
)

// CPU architectures, as EC2 and the Amazon Linux 2023 SSM parameters name them.
const (
	X86 = "x86_64"
	ARM = "arm64"
)

// DefaultARMAMIParameter is the public SSM parameter naming the latest Amazon Linux 2023 AMI for arm64, the
// image of Graviton instance types.
const DefaultARMAMIParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"

// KnownInstanceType reports whether t is an EC2 instance type the AWS provider knows (instancetypes.go).
func KnownInstanceType(t string) bool {
	family, size, ok := strings.Cut(t, ".")
	if !ok {
		return false
	}
	for _, s := range instanceSizes[family] {
		if s == size {
			return true
		}
	}
	return false
}

// nearestInstanceType proposes the known type nearest to a mistyped one, or "".
func nearestInstanceType(t string) string {
	var all []string
	for family, sizes := range instanceSizes {
		for _, s := range sizes {
			all = append(all, family+"."+s)
		}
	}
	sort.Strings(all)
	return suggest.Nearest(t, all)
}

// Architecture is the CPU architecture of an instance type: arm64 for AWS Graviton, x86_64 otherwise. AWS
// names a type <series><generation><options>.<size>, where the option "g" is an AWS Graviton processor
// (Amazon EC2 Instance Types guide, "Amazon EC2 instance type naming conventions",
// https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html): t4g, m7g, c6gn, im4gn; a1
// is the first Graviton generation.
func Architecture(instanceType string) string {
	family, _, _ := strings.Cut(instanceType, ".")
	family, _, _ = strings.Cut(family, "-") // m7i-flex, u-6tb1
	if family == "a1" {
		return ARM
	}
	options := strings.TrimLeftFunc(family, unicode.IsLetter)
	options = strings.TrimLeftFunc(options, unicode.IsDigit)
	if strings.ContainsRune(options, 'g') {
		return ARM
	}
	return X86
}

// AMIParameter is the SSM parameter of the latest Amazon Linux 2023 AMI for an instance type's architecture.
func AMIParameter(instanceType string) string {
	if Architecture(instanceType) == ARM {
		return DefaultARMAMIParameter
	}
	return DefaultAMIParameter
}
