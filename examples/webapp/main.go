// Command webapp is a Pulumi program of another repository that adopts the kit's components directly:
// components/network for the VPC, components/webtier for a load-balanced web tier in it, and
// components/observability for the alarms the kit's policy pack asks of every load balancer. It is what a
// team writes when it wants the kit's parts without the kit's stack.
//
// What the components need from their caller: the tags every resource carries (the policy pack's
// required-tags rule asks for Project, Environment and ManagedBy), and the region, which the web tier takes
// from the network (vpc.Region) and the network from the provider: aws:region here, or an explicit
// aws.Provider in the resource options for another region.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/components/webtier"
)

func main() {
	pulumi.Run(program)
}

// program builds the network, the web tier and its alarms, and exports where the application answers.
func program(ctx *pulumi.Context) error {
	tags := map[string]string{"Project": ctx.Project(), "Environment": ctx.Stack(), "ManagedBy": "pulumi"}
	vpc, err := network.New(ctx, "app", &network.Args{
		CIDR:        "10.40.0.0/20",
		AZCount:     2,
		NATStrategy: network.NATSingle,
		Tags:        tags,
	})
	if err != nil {
		return err
	}
	two := 2
	web, err := webtier.New(ctx, "app", &webtier.Args{
		VPCID:          vpc.VPCID,
		PublicSubnets:  vpc.SubnetsOf(network.Public),
		PrivateSubnets: vpc.SubnetsOf(network.Private),
		Region:         vpc.Region,
		Tags:           tags,
		InstanceType:   "t4g.small",
		MinSize:        &two,
		MaxSize:        4,
	})
	if err != nil {
		return err
	}
	if _, err := observability.New(ctx, "app-ops", &observability.Args{
		Region:                vpc.Region,
		Tags:                  tags,
		LoadBalancerARNSuffix: web.ALBARNSuffix,
		TargetGroupARNSuffix:  web.TargetGroupARNSuffix,
		ASGName:               web.ASGName,
		ASGMaxSize:            web.MaxSize,
	}); err != nil {
		return err
	}
	ctx.Export("url", web.URL)
	ctx.Export("vpcId", vpc.VPCID)
	return nil
}
