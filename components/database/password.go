package database

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The master password of a ReplicaSource comes from the random provider's RandomPassword resource: "resources
// that generate random values during their creation and then hold those values steady until the inputs are
// changed" (Pulumi registry, Random Provider overview). The value is made once, lives in the stack's state as
// a secret, and every later run reads it back, so the instance's password input never changes and needs no
// ignore-changes (which, on a primary whose password RDS managed before, would drop the password from the
// update and make ModifyDBInstance refuse it).
//
// The kit registers the resource through its type token rather than through the pulumi-random Go SDK, which
// the Go module proxy does not serve here. The token, property names and secret outputs are the provider's
// (pulumi-random sdk/go/random/randomPassword.go); the version option makes the engine install the plugin on
// first use, as it does for any provider a program registers a resource of.

// randomPasswordType is the random provider's RandomPassword type token.
const randomPasswordType = "random:index/randomPassword:RandomPassword"

// RandomProviderVersion is the pulumi-random plugin version the engine installs for the password
// (random v4.18.2, published 2025-04-30 on the Pulumi registry).
const RandomProviderVersion = "4.18.2"

// randomPassword is the part of the random provider's RandomPassword the kit reads: the generated value.
type randomPassword struct {
	pulumi.CustomResourceState

	// Result is the generated password, a secret.
	Result pulumi.StringOutput `pulumi:"result"`
}

// newRandomPassword registers a RandomPassword of length characters of letters and digits only: RDS refuses
// "/", "@", '"' and spaces in a master password (ModifyDBInstance, MasterUserPassword constraints), and a long
// password needs no punctuation to be strong. Every input forces a new password when it changes, so they are
// fixed here.
func newRandomPassword(ctx *pulumi.Context, name string, length int, opts ...pulumi.ResourceOption) (*randomPassword, error) {
	var p randomPassword
	err := ctx.RegisterResource(randomPasswordType, name, pulumi.Map{
		"length":     pulumi.Int(length),
		"special":    pulumi.Bool(false),
		"minLower":   pulumi.Int(1),
		"minUpper":   pulumi.Int(1),
		"minNumeric": pulumi.Int(1),
	}, &p, append(opts, pulumi.Version(RandomProviderVersion),
		pulumi.AdditionalSecretOutputs([]string{"result", "bcryptHash"}))...)
	if err != nil {
		return nil, err
	}
	return &p, nil
}
