package webtier

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
)

// Defaults of the optional Args fields. A zero value in Args means "use the default".
const (
	DefaultAppPort             = 8080
	DefaultInstanceType        = "t3.micro"
	DefaultMinSize             = 2
	DefaultMaxSize             = 6
	DefaultRootVolumeSizeGiB   = 20
	DefaultHealthCheckPath     = "/health"
	DefaultHealthCheckMatcher  = "200"
	DefaultHealthCheckInterval = 15 // seconds
	DefaultHealthCheckTimeout  = 5  // seconds
	DefaultHealthyThreshold    = 2
	DefaultUnhealthyThreshold  = 3
	// DefaultDeregistrationDelay is short so that a rolling deploy does not wait AWS's default 300 s per
	// instance; requests of a typical web app finish well within it.
	DefaultDeregistrationDelay = 30 // seconds
	DefaultHealthCheckGrace    = 180
	DefaultInstanceWarmup      = 120 // seconds
	DefaultCPUTargetPercent    = 50
	DefaultRequestsPerTarget   = 1000
	DefaultAccessLogsDays      = 90
	DefaultScheduleTimeZone    = "Etc/UTC"
	// DefaultSSLPolicy is AWS's recommended policy: TLS 1.3 and 1.2 with forward secrecy only.
	DefaultSSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// DefaultAMIParameter is the public SSM parameter naming the latest Amazon Linux 2023 AMI.
	DefaultAMIParameter      = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	DefaultWarmPoolState     = "Stopped"
	DefaultSpotAllocation    = "price-capacity-optimized"
	DefaultIngressCIDR       = "0.0.0.0/0"
	maxNameLength            = 20 // "<name>-alb" plus the provider's 8-character suffix fits ELB's 32
	rootDeviceName           = "/dev/xvda"
	metadataHopLimit         = 1 // no containers reach instance credentials through an extra hop
	metricsGranularity       = "1Minute"
	ssmManagedInstancePolicy = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
)

// Args configure a WebTier.
type Args struct {
	// VPCID is the VPC the tier lives in. Required.
	VPCID pulumi.StringInput
	// PublicSubnets hold the load balancer: tier public, at least two AZs, one subnet per AZ. Required.
	PublicSubnets []network.Subnet
	// PrivateSubnets hold the instances: tier private, exactly the AZs of PublicSubnets (an ALB sends no
	// traffic to targets in an AZ it is not in). Required.
	PrivateSubnets []network.Subnet
	// Region is the region the tier is deployed in (the provider's region), e.g. "us-east-1". It picks the
	// ELB log-delivery principal and must match the certificate's region. Required.
	Region string
	// Tags are merged onto every taggable resource, with a Name tag. Optional; default none.
	Tags map[string]string

	// AppPort is the port the application listens on. Optional; default DefaultAppPort (8080).
	AppPort int
	// IngressCIDRs may reach the load balancer on 80 and 443. Optional; default ["0.0.0.0/0"].
	IngressCIDRs []string
	// CertificateARN is an ACM certificate in Region. With it: HTTPS on 443 and HTTP on 80 redirecting to
	// it; without it: HTTP on 80 only. Optional; default none.
	CertificateARN string
	// SSLPolicy is the HTTPS listener's TLS 1.3 security policy. Optional; default DefaultSSLPolicy.
	SSLPolicy string
	// DeletionProtection stops the load balancer from being deleted (the stack turns it on in production
	// configs). An explicit flag rather than a "production" switch, so what it does is in its name.
	// Optional; default false.
	DeletionProtection bool
	// AccessLogs, when true, creates an encrypted, private S3 bucket with a lifecycle expiry and sends the
	// load balancer's access logs to it. Optional; default false.
	AccessLogs bool
	// AccessLogsDays is how long access logs are kept. Optional; default DefaultAccessLogsDays (90).
	AccessLogsDays int
	// ReservedCapacityUnits reserves load balancer capacity (LCUs) ahead of a known peak; AWS spreads it
	// evenly across the AZs and may take minutes to hours to provision it. Optional; default 0 (none).
	ReservedCapacityUnits int

	// HealthCheck configures the target group's health check. Optional; defaults per field.
	HealthCheck HealthCheck
	// DeregistrationDelay is how long a deregistering instance keeps its in-flight requests, in seconds
	// (0-3600). Optional; default DefaultDeregistrationDelay (30).
	DeregistrationDelay int
	// SlowStart ramps traffic to a new instance over this many seconds (30-900). Optional; default 0 (off).
	SlowStart int

	// AMIID is the image to launch; it must suit InstanceType's architecture. Optional; default the latest
	// Amazon Linux 2023 AMI of Region for that architecture, read from the SSM parameter
	// AMIParameter(InstanceType) on each deployment (a new AMI rolls out by instance refresh).
	AMIID string
	// InstanceType is the EC2 instance type, one the AWS provider knows; a Graviton type (t4g, m7g, ...) gets
	// the arm64 image. Optional; default DefaultInstanceType.
	InstanceType string
	// RootVolumeSizeGiB is the size of the encrypted gp3 root volume. Optional; default 20.
	RootVolumeSizeGiB int
	// UserData is the instances' cloud-init user data, in plain text; with WarmPool, a shell script ("#!"),
	// which then runs on every boot. The application it starts follows the health contract of userdata.go:
	// HealthCheck.Path while it serves HTTP, ReadinessPath only while it can reach its database. Optional;
	// default a placeholder application that keeps that contract, so a fresh deployment has healthy targets.
	UserData string
	// ReadinessPath answers 200 only when the application can serve requests end to end, its database
	// included, and 503 otherwise: Route 53 failover checks it. Optional; default DefaultReadinessPath.
	ReadinessPath string
	// DatabaseAddress and DatabasePort are the database the placeholder application's ReadinessPath checks
	// it can reach. Optional; default none (the placeholder is then ready whenever it runs).
	DatabaseAddress pulumi.StringInput
	DatabasePort    int

	// MinSize is the group's minimum size; 0 lets scaling take the group down to no instances. Optional; nil
	// means DefaultMinSize (2).
	MinSize *int
	// MaxSize is the group's maximum size. Optional; default DefaultMaxSize (6).
	MaxSize int
	// DesiredCapacity is the group's initial size, within [MinSize, MaxSize]. Scaling owns it afterwards:
	// later changes of this field are ignored so a deployment never undoes a scale-out. Optional; nil means
	// MinSize.
	DesiredCapacity *int
	// HealthCheckGracePeriod is how long a new instance has before ELB health checks count, in seconds.
	// Optional; default DefaultHealthCheckGrace (180).
	HealthCheckGracePeriod int
	// InstanceWarmup is how long a new instance takes to contribute to metrics, in seconds; used by
	// scaling and instance refresh. Optional; default DefaultInstanceWarmup (120).
	InstanceWarmup int

	// AppVersion is the version of the application the instances run, e.g. "1.4.2" or a commit hash. Every
	// instance carries it as its AppVersion tag, and the default user data serves it at /version; changing it
	// changes the launch template, and so starts a release. Optional; default none.
	AppVersion string
	// Release says how a new launch template (a new AMI, user data or AppVersion) reaches the running
	// instances: an instance refresh with checkpoints, a bake and rollback alarms, or blue/green. Optional;
	// defaults per field.
	Release Release

	// CPUTargetPercent is the average CPU utilization target tracking holds. Optional; default 50.
	CPUTargetPercent float64
	// RequestsPerTarget is the ALB request count per target per minute target tracking holds. Optional;
	// default DefaultRequestsPerTarget (1000).
	RequestsPerTarget float64
	// ScheduledActions resize the group ahead of known peaks. Optional; default none.
	ScheduledActions []ScheduledAction
	// WarmPool keeps pre-initialized instances ready for scale-out: a launch lifecycle hook holds each
	// instance until its application answers (warmpool.go). Not allowed with Spot. Optional; default none.
	WarmPool *WarmPool
	// Spot runs part of the group on Spot instances through a mixed instances policy. Optional; default
	// none (all On-Demand).
	Spot *Spot
}

// HealthCheck configures the target group's HTTP health check.
type HealthCheck struct {
	// Path is requested on AppPort; it must start with "/". Optional; default DefaultHealthCheckPath.
	Path string
	// Matcher is the HTTP codes that mean healthy: "200", "200,202" or "200-299". Optional; default "200".
	Matcher string
	// Interval between checks, 5-300 seconds, greater than Timeout. Optional; default 15.
	Interval int
	// Timeout of one check, 2-120 seconds. Optional; default 5.
	Timeout int
	// HealthyThreshold is the number of passes that make a target healthy, 2-10. Optional; default 2.
	HealthyThreshold int
	// UnhealthyThreshold is the number of failures that make a target unhealthy, 2-10. Optional; default 3.
	UnhealthyThreshold int
}

// ScheduledAction resizes the group on a recurring schedule.
type ScheduledAction struct {
	// Name identifies the action within the group. Required.
	Name string
	// Recurrence is a five-field Unix cron expression ("0 8 * * MON-FRI"). Required.
	Recurrence string
	// TimeZone is the IANA time zone Recurrence is read in ("Europe/Paris"). Optional; default Etc/UTC.
	TimeZone string
	// MinSize, MaxSize and DesiredCapacity are the sizes to set; nil leaves one unchanged. At least one is
	// required.
	MinSize, MaxSize, DesiredCapacity *int
}

// WarmPool keeps instances initialized and stopped (or running) outside the group, for faster scale-out.
type WarmPool struct {
	// MinSize is the minimum number of instances kept in the pool. Optional; default 0.
	MinSize int
	// MaxPreparedCapacity caps the group plus pool; 0 means the group's MaxSize. Optional; default 0.
	MaxPreparedCapacity int
	// State of pooled instances: Stopped, Running or Hibernated. Hibernated needs an instance type that
	// supports hibernation, with less than 150 GiB of RAM, and a root volume with room for the RAM besides the
	// system (RootVolumeSizeGiB); the launch template then enables hibernation. Optional; default Stopped.
	State string
}

// Spot runs part of the group on Spot capacity.
type Spot struct {
	// Percentage is the share of capacity above OnDemandBase that runs on Spot, 0-100. Required.
	Percentage int
	// OnDemandBase is the number of instances always On-Demand. Optional; default 0.
	OnDemandBase int
	// InstanceTypes are the types Spot may choose from, the more the better for availability; they share
	// InstanceType's architecture, as the group launches one image. Optional; default [InstanceType].
	InstanceTypes []string
	// AllocationStrategy picks Spot pools. Optional; default DefaultSpotAllocation.
	AllocationStrategy string
}
