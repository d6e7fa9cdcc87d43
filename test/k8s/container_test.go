//go:build k8s_e2e

package k8se2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// command prepares the pod's container as a local process: its volumes
// laid out under the pod's directory (mount paths are taken relative to
// the container's working directory, which the pod's directory stands
// for), its environment resolved, $(VAR) expanded in command and args,
// hosts as its /etc/hosts.
func (k *kubelet) command(ctx context.Context, pod *corev1.Pod, hosts []byte) (*exec.Cmd, error) {
	if len(pod.Spec.Containers) != 1 {
		return nil, fmt.Errorf("%d containers: the stand-in runs one", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	dir := k.podDir(pod.Name)
	if err := k.mountVolumes(ctx, pod, c, dir); err != nil {
		return nil, err
	}
	env, err := k.resolveEnv(ctx, pod, c.Env)
	if err != nil {
		return nil, err
	}
	argv := append(append([]string{}, c.Command...), c.Args...)
	for i := range argv {
		argv[i] = expand(argv[i], env)
	}
	if len(argv) == 0 || strings.Contains(argv[0], "/") {
		return nil, fmt.Errorf("command %q: the stand-in runs a command found in %s", argv, k.bin)
	}
	cmd := exec.Command(filepath.Join(k.bin, argv[0]), argv[1:]...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + k.bin, "HOME=" + dir}
	for name, value := range env {
		cmd.Env = append(cmd.Env, name+"="+value)
	}
	if err := os.WriteFile(k.hostsFile(pod.Name), hosts, 0o644); err != nil {
		return nil, err
	}
	if err := inPod(cmd, k.hostsFile(pod.Name)); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(dir, "container.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	return cmd, nil
}

func (k *kubelet) mountVolumes(ctx context.Context, pod *corev1.Pod, c corev1.Container, dir string) error {
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Spec.Volumes {
		volumes[v.Name] = v
	}
	for _, m := range c.VolumeMounts {
		rel, err := filepath.Rel(c.WorkingDir, m.MountPath)
		if err != nil || !filepath.IsLocal(rel) {
			return fmt.Errorf("mount %s at %s: the stand-in mounts under the working directory %s", m.Name, m.MountPath, c.WorkingDir)
		}
		at := filepath.Join(dir, rel)
		if err := os.MkdirAll(at, 0o755); err != nil {
			return err
		}
		v := volumes[m.Name]
		switch {
		case v.ConfigMap != nil:
			if err := k.writeConfigMap(ctx, v.ConfigMap, at); err != nil {
				return err
			}
		case v.EmptyDir == nil:
			return fmt.Errorf("volume %s: the stand-in knows ConfigMaps and emptyDirs", m.Name)
		}
	}
	return nil
}

// writeConfigMap writes the ConfigMap's items at their paths, as the
// kubelet projects a ConfigMap volume.
func (k *kubelet) writeConfigMap(ctx context.Context, src *corev1.ConfigMapVolumeSource, at string) error {
	cm, err := k.client.CoreV1().ConfigMaps(k.ns).Get(ctx, src.Name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	for _, it := range src.Items {
		data, ok := []byte(cm.Data[it.Key]), true
		if _, text := cm.Data[it.Key]; !text {
			data, ok = cm.BinaryData[it.Key]
		}
		if !ok {
			return fmt.Errorf("ConfigMap %s has no key %s", cm.Name, it.Key)
		}
		p := filepath.Join(at, filepath.FromSlash(it.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// resolveEnv gives each variable its value: literal (with $(VAR) of the
// variables before it expanded), from the pod's fields, as the Job
// controller's JOB_COMPLETION_INDEX is, or from a Secret's key.
func (k *kubelet) resolveEnv(ctx context.Context, pod *corev1.Pod, vars []corev1.EnvVar) (map[string]string, error) {
	env := map[string]string{}
	for _, v := range vars {
		switch {
		case v.ValueFrom == nil:
			env[v.Name] = expand(v.Value, env)
		case v.ValueFrom.FieldRef != nil:
			value, err := fieldValue(pod, v.ValueFrom.FieldRef.FieldPath)
			if err != nil {
				return nil, fmt.Errorf("env %s: %w", v.Name, err)
			}
			env[v.Name] = value
		case v.ValueFrom.SecretKeyRef != nil:
			value, err := k.secretValue(ctx, v.ValueFrom.SecretKeyRef)
			if err != nil {
				return nil, fmt.Errorf("env %s: %w", v.Name, err)
			}
			env[v.Name] = value
		default:
			return nil, fmt.Errorf("env %s: the stand-in resolves values, fieldRefs and secretKeyRefs", v.Name)
		}
	}
	return env, nil
}

// secretValue reads a Secret's key, as the kubelet does for an
// environment variable: a missing Secret or key keeps the pod from
// starting.
func (k *kubelet) secretValue(ctx context.Context, ref *corev1.SecretKeySelector) (string, error) {
	s, err := k.client.CoreV1().Secrets(k.ns).Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil {
		return "", err
	}
	value, ok := s.Data[ref.Key]
	if !ok {
		return "", fmt.Errorf("Secret %s has no key %s", ref.Name, ref.Key)
	}
	return string(value), nil
}

var mapField = regexp.MustCompile(`^metadata\.(labels|annotations)\['([^']+)'\]$`)

func fieldValue(pod *corev1.Pod, path string) (string, error) {
	if m := mapField.FindStringSubmatch(path); m != nil {
		if m[1] == "labels" {
			return pod.Labels[m[2]], nil
		}
		return pod.Annotations[m[2]], nil
	}
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	}
	return "", fmt.Errorf("fieldPath %s: not known to the stand-in", path)
}

// expand replaces $(VAR) by the variable's value when it is defined and
// $$ by $, as Kubernetes expands a container's command and args.
func expand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		end := strings.IndexByte(s[i:], ')')
		if s[i+1] == '(' && end > 0 {
			if v, ok := env[s[i+2:i+end]]; ok {
				b.WriteString(v)
				i += end
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
