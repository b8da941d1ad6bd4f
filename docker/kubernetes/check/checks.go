package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/labels"
)

func bufioReader(data []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(data)) }

// key names an object of a kind in a namespace.
type key struct{ kind, namespace, name string }

// Check returns what does not fit together across the decoded objects.
func (m *Manifests) Check() []string {
	var problems []string
	keys := map[key][]string{} // Secret and ConfigMap keys
	exists := map[key]bool{}
	var deployments []*appsv1.Deployment
	var services []*corev1.Service
	var hpas []*autoscalingv2.HorizontalPodAutoscaler
	for _, o := range m.Objects {
		switch obj := o.Obj.(type) {
		case *corev1.Secret:
			k := key{"Secret", obj.Namespace, obj.Name}
			exists[k] = true
			for name := range obj.StringData {
				keys[k] = append(keys[k], name)
			}
			for name := range obj.Data {
				keys[k] = append(keys[k], name)
			}
		case *corev1.ConfigMap:
			k := key{"ConfigMap", obj.Namespace, obj.Name}
			exists[k] = true
			for name := range obj.Data {
				keys[k] = append(keys[k], name)
			}
		case *corev1.PersistentVolumeClaim:
			exists[key{"PersistentVolumeClaim", obj.Namespace, obj.Name}] = true
		case *appsv1.Deployment:
			deployments = append(deployments, obj)
			exists[key{"Deployment", obj.Namespace, obj.Name}] = true
		case *corev1.Service:
			services = append(services, obj)
		case *autoscalingv2.HorizontalPodAutoscaler:
			hpas = append(hpas, obj)
		}
	}
	hasKey := func(k key, name string) bool {
		for _, n := range keys[k] {
			if n == name {
				return true
			}
		}
		return false
	}
	for _, d := range deployments {
		where := "Deployment " + d.Name
		selector := labels.SelectorFromSet(d.Spec.Selector.MatchLabels)
		if len(d.Spec.Selector.MatchLabels) == 0 || !selector.Matches(labels.Set(d.Spec.Template.Labels)) {
			problems = append(problems, where+": its selector does not match its pod template's labels")
		}
		pod := d.Spec.Template.Spec
		for _, v := range pod.Volumes {
			if c := v.PersistentVolumeClaim; c != nil && !exists[key{"PersistentVolumeClaim", d.Namespace, c.ClaimName}] {
				problems = append(problems, fmt.Sprintf("%s: volume %s claims %s, which no manifest defines", where, v.Name, c.ClaimName))
			}
		}
		for _, c := range pod.Containers {
			for _, e := range c.Env {
				if e.ValueFrom == nil {
					continue
				}
				if r := e.ValueFrom.SecretKeyRef; r != nil && !hasKey(key{"Secret", d.Namespace, r.Name}, r.Key) {
					problems = append(problems, fmt.Sprintf("%s: %s reads key %q of Secret %s, which no manifest defines", where, e.Name, r.Key, r.Name))
				}
				if r := e.ValueFrom.ConfigMapKeyRef; r != nil && !hasKey(key{"ConfigMap", d.Namespace, r.Name}, r.Key) {
					problems = append(problems, fmt.Sprintf("%s: %s reads key %q of ConfigMap %s, which no manifest defines", where, e.Name, r.Key, r.Name))
				}
			}
			problems = append(problems, checkWorker(where, d.Namespace, c, services)...)
		}
	}
	for _, s := range services {
		if !selectsPorts(s, deployments) {
			problems = append(problems, fmt.Sprintf("Service %s: selects no Deployment's pods on a port they expose", s.Name))
		}
	}
	for _, h := range hpas {
		t := h.Spec.ScaleTargetRef
		if t.Kind != "Deployment" || !exists[key{"Deployment", h.Namespace, t.Name}] {
			problems = append(problems, fmt.Sprintf("HorizontalPodAutoscaler %s: scales %s %s, which no manifest defines", h.Name, t.Kind, t.Name))
		}
	}
	return problems
}

// checkWorker: a worker container (one with THAW_ORCHESTRATOR_URL) must name a Service of the
// manifests on its port and get the worker token from a Secret; a GPU worker asks for one GPU.
func checkWorker(where, namespace string, c corev1.Container, services []*corev1.Service) []string {
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	orchestrator, ok := env["THAW_ORCHESTRATOR_URL"]
	if !ok {
		return nil
	}
	var problems []string
	u, err := url.Parse(orchestrator.Value)
	if err != nil || u.Hostname() == "" {
		problems = append(problems, fmt.Sprintf("%s: THAW_ORCHESTRATOR_URL %q is not a URL", where, orchestrator.Value))
	} else if !serviceAt(u, namespace, services) {
		problems = append(problems, fmt.Sprintf("%s: THAW_ORCHESTRATOR_URL %q names no Service of the manifests on that port", where, orchestrator.Value))
	}
	if t, ok := env["THAW_WORKER_TOKEN"]; !ok || t.ValueFrom == nil || t.ValueFrom.SecretKeyRef == nil {
		problems = append(problems, where+": THAW_WORKER_TOKEN must come from a Secret")
	}
	gpu := strings.Contains(c.Image, "worker-gpu") || env["THAW_DEVICE"].Value == "gpu"
	limit, has := c.Resources.Limits["nvidia.com/gpu"]
	if gpu && (!has || limit.Cmp(resource.MustParse("1")) != 0) {
		problems = append(problems, fmt.Sprintf("%s: GPU worker %s must limit nvidia.com/gpu to 1 (one GPU per worker)", where, c.Name))
	}
	return problems
}

func serviceAt(u *url.URL, namespace string, services []*corev1.Service) bool {
	host := strings.TrimSuffix(u.Hostname(), ".svc.cluster.local")
	port := 80
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	for _, s := range services {
		if host != s.Name && host != s.Name+"."+s.Namespace && host != s.Name+"."+s.Namespace+".svc" {
			continue
		}
		if host == s.Name && s.Namespace != namespace {
			continue
		}
		for _, p := range s.Spec.Ports {
			if int(p.Port) == port {
				return true
			}
		}
	}
	return false
}

func selectsPorts(s *corev1.Service, deployments []*appsv1.Deployment) bool {
	if len(s.Spec.Selector) == 0 {
		return false
	}
	selector := labels.SelectorFromSet(s.Spec.Selector)
	for _, d := range deployments {
		if d.Namespace != s.Namespace || !selector.Matches(labels.Set(d.Spec.Template.Labels)) {
			continue
		}
		all := true
		for _, sp := range s.Spec.Ports {
			found := false
			for _, c := range d.Spec.Template.Spec.Containers {
				for _, cp := range c.Ports {
					if (sp.TargetPort.StrVal != "" && sp.TargetPort.StrVal == cp.Name) ||
						(sp.TargetPort.StrVal == "" && (sp.TargetPort.IntVal == cp.ContainerPort ||
							sp.TargetPort.IntVal == 0 && sp.Port == cp.ContainerPort)) {
						found = true
					}
				}
			}
			all = all && found
		}
		if all {
			return true
		}
	}
	return false
}
