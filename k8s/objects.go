package k8s

import (
	"unicode/utf8"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// jobNameLabel is set by the Job controller on each of its pods.
const jobNameLabel = "batch.kubernetes.io/job-name"

func configMap(o Options, files []volumeFile) *corev1.ConfigMap {
	cm := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: meta(o, ConfigMapName(o.Name)),
	}
	for _, f := range files {
		// Text goes in data, readable with kubectl describe; anything
		// else would be mangled there and goes in binaryData.
		if utf8.Valid(f.data) {
			if cm.Data == nil {
				cm.Data = map[string]string{}
			}
			cm.Data[f.key] = string(f.data)
			continue
		}
		if cm.BinaryData == nil {
			cm.BinaryData = map[string][]byte{}
		}
		cm.BinaryData[f.key] = f.data
	}
	return cm
}

// service is headless (no virtual IP, no load balancing): it only gives
// each pod a DNS name, <job>-<index>.<service>, so every pod can reach
// the pod of index 0. publishNotReadyAddresses: the names must resolve
// before any pod is ready, since the shares meet at index 0 to start.
func service(o Options) *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta(o, o.Name),
		Spec: corev1.ServiceSpec{
			ClusterIP:                corev1.ClusterIPNone,
			Selector:                 map[string]string{jobNameLabel: o.Name},
			PublishNotReadyAddresses: true,
			Ports: []corev1.ServicePort{{
				Name: "coordinator", Protocol: corev1.ProtocolTCP,
				Port: CoordinatorPort, TargetPort: intstr.FromInt32(CoordinatorPort),
			}},
		},
	}
}

func job(o Options, files []volumeFile, deadline int64) *batchv1.Job {
	n := int32(o.Workers)
	return &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: meta(o, o.Name),
		Spec: batchv1.JobSpec{
			// Indexed: each pod gets its completion index, the share it runs.
			CompletionMode: ptr.To(batchv1.IndexedCompletion),
			// All shares run at once; completions is always set (1.37.2's
			// API server panics on an Indexed Job with a success policy and
			// no completions).
			Completions: ptr.To(n), Parallelism: ptr.To(n),
			// A share retried later would send its arrivals out of step
			// with the others: one failure fails the index, and one failed
			// index fails the Job.
			BackoffLimitPerIndex:  ptr.To(int32(0)),
			MaxFailedIndexes:      ptr.To(int32(0)),
			PodFailurePolicy:      podFailurePolicy(o),
			SuccessPolicy:         successPolicy(),
			ActiveDeadlineSeconds: ptr.To(deadline),
			Template:              podTemplate(o, files),
		},
	}
}

// podFailurePolicy fails the Job at once when a share's verdict is known
// bad (a failed check, an abort) or the test cannot run, and when a pod is
// disrupted (evicted, preempted, its node lost): a lost share makes the
// whole test's numbers wrong.
func podFailurePolicy(o Options) *batchv1.PodFailurePolicy {
	return &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
		{
			Action: batchv1.PodFailurePolicyActionFailJob,
			OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
				ContainerName: ptr.To(ContainerName),
				Operator:      batchv1.PodFailurePolicyOnExitCodesOpIn,
				Values:        o.FailJobExitCodes,
			},
		},
		{
			Action: batchv1.PodFailurePolicyActionFailJob,
			OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{
				{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue},
			},
		},
	}}
}
