package observability

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AlarmTopic is an encrypted SNS topic for alarms, made on its own so that several components can notify it:
// the DR site's replica-lag alarm is created inside the DR component, before the dashboards and alarms of the
// DR region exist, and both must reach the same people.
type AlarmTopic struct {
	pulumi.ResourceState

	ARN pulumi.StringOutput
}

// TopicArgs configures an AlarmTopic; the fields mean what the same fields of Args mean.
type TopicArgs struct {
	// Region is the topic's region; alarms can only notify a topic in their own region. Required.
	Region string
	// AlarmEmails each get an email subscription. Optional; default none.
	AlarmEmails []string
	// KMSKeyARN encrypts the topic; it must let CloudWatch use it. Optional; default a key created here.
	KMSKeyARN pulumi.StringInput
	// Publishers are services besides CloudWatch that publish to the topic (Args.Publishers). Optional.
	Publishers []Publisher
	// Tags are merged onto every resource. Optional.
	Tags map[string]string
}

// NewAlarmTopic makes the topic, its key unless one is given, and the email subscriptions, exactly as New
// does for its own topic. Pass its ARN to Args.TopicARN (and to other alarms' actions) to share it.
func NewAlarmTopic(ctx *pulumi.Context, name string, args *TopicArgs, opts ...pulumi.ResourceOption) (*AlarmTopic, error) {
	if args == nil {
		args = &TopicArgs{}
	}
	a, err := validate(name, &Args{Region: args.Region, AlarmEmails: args.AlarmEmails,
		TopicKMSKeyARN: args.KMSKeyARN, Publishers: args.Publishers, Tags: args.Tags}, ctx.Project(), ctx.Stack())
	if err != nil {
		return nil, err
	}
	t := &AlarmTopic{}
	if err := ctx.RegisterComponentResource("kit:observability:AlarmTopic", name, t, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: a, parent: pulumi.Parent(t)}
	b.accountID = aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, pulumi.Parent(t)).AccountId()
	if t.ARN, err = b.topic(); err != nil {
		return nil, err
	}
	return t, ctx.RegisterResourceOutputs(t, pulumi.Map{"arn": t.ARN})
}
