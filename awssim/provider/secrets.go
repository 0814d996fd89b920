package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/resource/stack"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
)

// Secrets in a committed state file are masked, never stored: a reviewer reads the state, and so does anyone
// with the repository. A masked secret is a digest of the value, so the state stays deterministic and the
// provider can still tell whether a secret changed, without ever knowing the old value.

// maskPrefix starts the value a masked secret reads back as.
const maskPrefix = "[secret sha256:"

// Masker is the state's secrets crypter: EncryptValue keeps a digest of the secret, DecryptValue gives back a
// string that stands for the secret and that Diff compares by digest.
type Masker struct{}

var _ config.Crypter = Masker{}

// EncryptValue digests the secret's serialized plaintext. A secret read back masked (an input the engine
// kept from the prior state, under ignoreChanges) keeps its digest.
func (Masker) EncryptValue(_ context.Context, plaintext string) (string, error) {
	var s string
	if json.Unmarshal([]byte(plaintext), &s) == nil && strings.HasPrefix(s, maskPrefix) && strings.HasSuffix(s, "]") {
		return strings.TrimSuffix(strings.TrimPrefix(s, "[secret "), "]"), nil
	}
	sum := sha256.Sum256([]byte(plaintext))
	return "sha256:" + hex.EncodeToString(sum[:16]), nil
}

// DecryptValue turns a digest into the JSON of the string that stands for the secret.
func (Masker) DecryptValue(_ context.Context, ciphertext string) (string, error) {
	b, err := json.Marshal("[secret " + ciphertext + "]")
	return string(b), err
}

// BatchEncrypt digests each secret.
func (m Masker) BatchEncrypt(ctx context.Context, plaintexts []string) ([]string, error) {
	return batch(ctx, plaintexts, m.EncryptValue)
}

// BatchDecrypt reads each digest back.
func (m Masker) BatchDecrypt(ctx context.Context, ciphertexts []string) ([]string, error) {
	return batch(ctx, ciphertexts, m.DecryptValue)
}

func batch(ctx context.Context, in []string, f func(context.Context, string) (string, error)) ([]string, error) {
	out := make([]string, len(in))
	for i, s := range in {
		var err error
		if out[i], err = f(ctx, s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// masked returns the string a secret with this value reads back as from a state file.
func masked(v resource.PropertyValue) (string, bool) {
	serialized, err := stack.SerializePropertyValue(context.Background(), v, config.NopEncrypter, false)
	if err != nil {
		return "", false
	}
	plaintext, err := json.Marshal(serialized)
	if err != nil {
		return "", false
	}
	digest, _ := Masker{}.EncryptValue(context.Background(), string(plaintext))
	return "[secret " + digest + "]", true
}

// sameSecret reports whether old, read back masked from a state file, stands for new's secret value.
func sameSecret(old, new resource.PropertyValue) bool {
	if !old.IsSecret() || !new.IsSecret() {
		return false
	}
	o := old.SecretValue().Element
	if !o.IsString() || !strings.HasPrefix(o.StringValue(), maskPrefix) {
		return false
	}
	m, ok := masked(new.SecretValue().Element)
	return ok && m == o.StringValue()
}
