package k8s

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

const (
	scriptVolume  = "script"
	resultsVolume = "results"
)

func podTemplate(o Options, files []volumeFile) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels(o)},
		Spec: corev1.PodSpec{
			// Never: a restarted container would replay its share late;
			// the pod failure policy requires it too.
			RestartPolicy: corev1.RestartPolicyNever,
			// With the headless Service of the same name, each pod is
			// reachable as <job>-<index>.<service>.
			Subdomain:    o.Name,
			Containers:   []corev1.Container{container(o, files)},
			Volumes:      volumes(o, files),
			NodeSelector: o.NodeSelector,
			Affinity:     affinity(o),
		},
	}
}

// affinity keeps the Job's pods apart, one to a node, with OnePodPerNode:
// required, so a pod that finds no free node waits (and the coordinator's
// --wait then fails the test) rather than sharing a node unseen.
func affinity(o Options) *corev1.Affinity {
	if !o.OnePodPerNode {
		return nil
	}
	return &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
			LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{jobNameLabel: o.Name}},
			TopologyKey:   corev1.LabelHostname,
		}},
	}}
}

// resources are the container's requests and limits, the same for each
// resource given (Validate has parsed them).
func resources(o Options) corev1.ResourceRequirements {
	list := corev1.ResourceList{}
	if o.CPU != "" {
		list[corev1.ResourceCPU] = resource.MustParse(o.CPU)
	}
	if o.Memory != "" {
		list[corev1.ResourceMemory] = resource.MustParse(o.Memory)
	}
	if len(list) == 0 {
		return corev1.ResourceRequirements{}
	}
	return corev1.ResourceRequirements{Requests: list, Limits: list.DeepCopy()}
}

func container(o Options, files []volumeFile) corev1.Container {
	return corev1.Container{
		Name:       ContainerName,
		Image:      o.Image,
		Command:    command(),
		Args:       args(o, files[0].key),
		WorkingDir: WorkDir,
		Env:        []corev1.EnvVar{tokenVar(o)},
		VolumeMounts: []corev1.VolumeMount{
			{Name: scriptVolume, MountPath: WorkDir + "/" + ScriptDir, ReadOnly: true},
			{Name: resultsVolume, MountPath: WorkDir + "/" + ResultsDir},
		},
		Ports:     []corev1.ContainerPort{{Name: "coordinator", ContainerPort: CoordinatorPort, Protocol: corev1.ProtocolTCP}},
		Resources: resources(o),
		SecurityContext: &corev1.SecurityContext{
			RunAsNonRoot:             ptr.To(true),
			AllowPrivilegeEscalation: ptr.To(false),
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		},
	}
}

// volumes mount the ConfigMap's keys at the paths the script names, so
// that the script's payload paths resolve in the pod as on the machine
// where the manifests were made.
func volumes(o Options, files []volumeFile) []corev1.Volume {
	items := make([]corev1.KeyToPath, len(files))
	for i, f := range files {
		items[i] = corev1.KeyToPath{Key: f.key, Path: f.path}
	}
	script := corev1.Volume{Name: scriptVolume, VolumeSource: corev1.VolumeSource{
		ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: ConfigMapName(o.Name)},
			Items:                items,
		},
	}}
	results := corev1.Volume{Name: resultsVolume, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
	if o.ResultsClaim != "" {
		results.VolumeSource = corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: o.ResultsClaim}}
	}
	return []corev1.Volume{script, results}
}
