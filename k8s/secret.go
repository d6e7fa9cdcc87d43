package k8s

import (
	"crypto/rand"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// tokenEnv is the variable surge run reads its --coordinator-token from;
// the pods get it from the Secret, so it is on no command line.
const tokenEnv = "SURGE_COORDINATOR_TOKEN"

// TokenKey is the Secret's key holding the coordinator's token, in the
// Secret the manifests add and in one named by Options.TokenSecret.
const TokenKey = "token"

// MinTokenLength is the least a generated or given token holds: the
// coordinator listens on the pod network, where anything that connects
// with the token joins the test.
const MinTokenLength = 32

// NewToken is a random token for the coordinator: two crypto/rand
// texts, 52 base32 characters (256 bits), safe in an environment variable.
func NewToken() string {
	return rand.Text() + rand.Text()
}

// SecretName is the name of the Secret the manifests add for a Job.
func SecretName(job string) string { return job + "-token" }

// secret holds the token, unless the options name an existing Secret.
func secret(o Options) *corev1.Secret {
	if o.TokenSecret != "" {
		return nil
	}
	return &corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: meta(o, SecretName(o.Name)),
		Type:       corev1.SecretTypeOpaque,
		// Immutable: nothing changes a test's token while it runs, and
		// the kubelet then need not watch it.
		Immutable: ptr.To(true),
		Data:      map[string][]byte{TokenKey: []byte(o.Token)},
	}
}

// tokenVar gives the container the token from the Secret's key.
func tokenVar(o Options) corev1.EnvVar {
	name := o.TokenSecret
	if name == "" {
		name = SecretName(o.Name)
	}
	return corev1.EnvVar{Name: tokenEnv, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: TokenKey}}}
}

// validateToken checks the token or the Secret that holds it.
func (o Options) validateToken() error {
	if o.TokenSecret != "" {
		if o.Token != "" {
			return fmt.Errorf("a token and --token-secret %q: the Secret holds the token", o.TokenSecret)
		}
		return nil
	}
	if len(o.Token) < MinTokenLength {
		return fmt.Errorf("the coordinator's token has %d characters: at least %d", len(o.Token), MinTokenLength)
	}
	return nil
}
