package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The repository's manifests, as they are.
func realManifests(t *testing.T) map[string]string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "*.yaml"))
	if err != nil || len(names) < 4 {
		t.Fatalf("expected the manifests in docker/kubernetes, found %v (%v)", names, err)
	}
	files := map[string]string{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = string(data)
	}
	return files
}

func problemsOf(files map[string]string) []string {
	var m Manifests
	var problems []string
	for name, text := range files {
		problems = append(problems, Decode(name, []byte(text), &m)...)
	}
	return append(problems, m.Check()...)
}

// edit replaces old by new in the one manifest that holds it.
func edit(t *testing.T, files map[string]string, old, new string) map[string]string {
	t.Helper()
	out := map[string]string{}
	hits := 0
	for n, text := range files {
		hits += strings.Count(text, old)
		out[n] = strings.Replace(text, old, new, 1)
	}
	if hits == 0 {
		t.Fatalf("no manifest holds %q", old)
	}
	return out
}

func expectProblem(t *testing.T, files map[string]string, want string) {
	t.Helper()
	problems := problemsOf(files)
	for _, p := range problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Fatalf("expected a problem containing %q, got %q", want, problems)
}

func TestTheManifestsPass(t *testing.T) {
	if p := problemsOf(realManifests(t)); len(p) > 0 {
		t.Fatalf("problems: %q", p)
	}
}

func TestAnUnknownFieldIsRejected(t *testing.T) {
	files := edit(t, realManifests(t), "terminationGracePeriodSeconds: 40", "terminationGracePeriodSecond: 40")
	expectProblem(t, files, `unknown field "spec.template.spec.terminationGracePeriodSecond"`)
}

func TestAWrongTypeIsRejected(t *testing.T) {
	files := edit(t, realManifests(t), "replicas: 2", "replicas: two")
	expectProblem(t, files, "workers.yaml document 2")
}

func TestAGpuWorkerWithoutItsGpuIsCaught(t *testing.T) {
	files := edit(t, realManifests(t), "      nvidia.com/gpu: 1", "      nvidia.com/gpu: 2")
	expectProblem(t, files, "must limit nvidia.com/gpu to 1")
}

func TestAMissingSecretKeyIsCaught(t *testing.T) {
	files := edit(t, realManifests(t), "key: worker-token", "key: worker-tokn")
	expectProblem(t, files, `reads key "worker-tokn" of Secret thaw-tokens`)
}

func TestAWorkerPointedAtNoServiceIsCaught(t *testing.T) {
	files := edit(t, realManifests(t), "http://thaw-orchestrator:8080", "http://thaw-orchestrator:9090")
	expectProblem(t, files, "names no Service of the manifests on that port")
}

func TestAServiceSelectingNothingIsCaught(t *testing.T) {
	files := edit(t, realManifests(t), "    app.kubernetes.io/name: thaw-orchestrator\n  ports:", "    app.kubernetes.io/name: orchestrator\n  ports:")
	expectProblem(t, files, "Service thaw-orchestrator: selects no Deployment's pods")
}

func TestAnAutoscalerOfNoDeploymentIsCaught(t *testing.T) {
	files := edit(t, realManifests(t), "    name: thaw-worker-gpu\n  minReplicas", "    name: thaw-workers\n  minReplicas")
	expectProblem(t, files, "scales Deployment thaw-workers, which no manifest defines")
}
