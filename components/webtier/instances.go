package webtier

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// defaultUserData serves the health check path on the app port with the Python that Amazon Linux 2023
// ships, so that a fresh deployment has healthy targets before any application exists. The path is
// validated to plain URL characters, so it needs no shell quoting beyond the single quotes here.
func defaultUserData(port int, healthPath, appVersion string) string {
	file := strings.TrimPrefix(healthPath, "/")
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	version := ""
	if appVersion != "" {
		// The version is validated to letters, digits and ._+-: safe inside single quotes.
		version = fmt.Sprintf("echo '%s' > \"$root/version\"\n", appVersion)
	}
	return fmt.Sprintf(`#!/bin/bash
# Placeholder of the kit's web tier: answers the load balancer's health check on port %[1]d.
# Replace it with your application through webtier.Args.UserData.
set -euo pipefail
root=/var/www/webtier
mkdir -p "$root/$(dirname '%[2]s')"
echo ok > "$root/%[2]s"
echo '<h1>web tier is up</h1>' > "$root/index.html"
%[3]scat > /etc/systemd/system/webtier.service <<'UNIT'
[Unit]
Description=Web tier placeholder server
After=network-online.target

[Service]
ExecStart=/usr/bin/python3 -m http.server %[1]d --directory /var/www/webtier
DynamicUser=yes
AmbientCapabilities=CAP_NET_BIND_SERVICE
Restart=always

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now webtier.service
`, port, file, version)
}

// ami returns the image a color launches: its explicit one, or the region's latest Amazon Linux 2023. The
// lookup goes through the component as parent, so it uses the component's provider and thus its region.
func (b *builder) ami(c *color) (string, error) {
	if c.amiID != "" {
		return c.amiID, nil
	}
	if b.latestAMI != "" {
		return b.latestAMI, nil
	}
	p, err := ssm.LookupParameter(b.ctx, &ssm.LookupParameterArgs{Name: DefaultAMIParameter}, b.parent)
	if err != nil {
		return "", fmt.Errorf("reading the Amazon Linux 2023 AMI from SSM parameter %s: %w", DefaultAMIParameter, err)
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
	userData := a.UserData
	if userData == "" {
		userData = defaultUserData(a.AppPort, a.HealthCheck.Path, c.appVersion)
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
		UserData:             pulumi.String(base64.StdEncoding.EncodeToString([]byte(userData))),
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
