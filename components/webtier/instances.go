package webtier

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ami returns the image a color launches: its explicit one, or the region's latest Amazon Linux 2023 for the
// instance type's architecture (arm64 for Graviton). The lookup goes through the component as parent, so it
// uses the component's provider and thus its region.
func (b *builder) ami(c *color) (string, error) {
	if c.amiID != "" {
		return c.amiID, nil
	}
	if b.latestAMI != "" {
		return b.latestAMI, nil
	}
	param := AMIParameter(b.args.InstanceType)
	p, err := ssm.LookupParameter(b.ctx, &ssm.LookupParameterArgs{Name: param}, b.parent)
	if err != nil {
		return "", fmt.Errorf("reading the Amazon Linux 2023 AMI from SSM parameter %s: %w", param, err)
	}
	b.latestAMI = p.Value
	return b.latestAMI, nil
}

// launchTemplate describes a color's instances: IMDSv2 only, encrypted gp3 root volume, detailed
// monitoring, no public address, Session Manager through the instance profile.
func (b *builder) launchTemplate(c *color) error {
	a := b.args
	image, err := b.ami(c)
	if err != nil {
		return err
	}
	var hibernation *ec2.LaunchTemplateHibernationOptionsArgs
	if a.WarmPool != nil && a.WarmPool.State == "Hibernated" {
		// Hibernation is enabled at launch only (EC2 user guide, hibernation prerequisites); the root volume is
		// already encrypted, as hibernation requires.
		hibernation = &ec2.LaunchTemplateHibernationOptionsArgs{Configured: pulumi.Bool(true)}
	}
	instanceTags := appVersionTags(b.tags(c.child(b, "instance")), c.appVersion)
	lt, err := ec2.NewLaunchTemplate(b.ctx, c.child(b, "lt"), &ec2.LaunchTemplateArgs{
		Description:  pulumi.String("Instances of web tier " + b.name),
		ImageId:      pulumi.String(image),
		InstanceType: pulumi.String(a.InstanceType),
		IamInstanceProfile: &ec2.LaunchTemplateIamInstanceProfileArgs{
			Arn: b.instanceProfileARN,
		},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(metadataHopLimit),
		},
		Monitoring: &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		// Security groups go on the interface: EC2 refuses them at both levels at once.
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{
			DeviceIndex:              pulumi.Int(0),
			AssociatePublicIpAddress: pulumi.String("false"),
			DeleteOnTermination:      pulumi.String("true"),
			SecurityGroups:           pulumi.StringArray{b.instanceSG},
		}},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String(rootDeviceName),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				VolumeType:          pulumi.String("gp3"),
				VolumeSize:          pulumi.Int(a.RootVolumeSizeGiB),
				Encrypted:           pulumi.String("true"),
				DeleteOnTermination: pulumi.String("true"),
			},
		}},
		UserData:             b.userData(c),
		HibernationOptions:   hibernation,
		UpdateDefaultVersion: pulumi.Bool(true),
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("instance"), Tags: instanceTags},
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("volume"), Tags: instanceTags},
		},
		Tags: b.tags(c.child(b, "lt")),
	}, b.parent)
	if err != nil {
		return err
	}
	c.launchTemplateID = lt.ID().ToStringOutput()
	// Pinning the group to the template's latest version number makes every template change an update
	// of the group, which starts an instance refresh; a numbered version is also what auto rollback needs.
	c.launchTemplateVer = lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput)
	return nil
}
