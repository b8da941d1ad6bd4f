// Command check-manifests reads Kubernetes manifests offline the way the API server would parse
// them, with Kubernetes' own Go types and strict decoding (an unknown or duplicated field is an
// error), then checks what ties them together: every Secret and ConfigMap key a container reads
// exists, every Service selects a Deployment's pods on a port they expose, every claim and
// autoscaler target exists, and each GPU worker asks for exactly one GPU.
//
//	go run . DIR...   checks every *.yaml file in each DIR; exit status 1 with the problems listed
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// Manifests holds the decoded objects, each with the file and document it came from.
type Manifests struct {
	Objects []Object
}

// Object is one decoded document.
type Object struct {
	Where string
	Obj   runtime.Object
}

func newDecoder() runtime.Decoder {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	return json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme,
		json.SerializerOptions{Yaml: true, Strict: true})
}

// Decode parses every YAML document of one file strictly into Kubernetes' types.
func Decode(name string, data []byte, into *Manifests) []string {
	decoder := newDecoder()
	reader := utilyaml.NewYAMLReader(bufioReader(data))
	var problems []string
	for doc := 1; ; doc++ {
		raw, err := reader.Read()
		if err == io.EOF {
			break
		}
		where := fmt.Sprintf("%s document %d", name, doc)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
			break
		}
		if len(bytes.TrimSpace(stripComments(raw))) == 0 {
			continue
		}
		obj, _, err := decoder.Decode(raw, nil, nil)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		into.Objects = append(into.Objects, Object{Where: where, Obj: obj})
	}
	return problems
}

func stripComments(doc []byte) []byte {
	var out bytes.Buffer
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			out.WriteString(line + "\n")
		}
	}
	return out.Bytes()
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: check-manifests DIR...")
		os.Exit(2)
	}
	var m Manifests
	var problems []string
	files := 0
	for _, dir := range os.Args[1:] {
		names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil || len(names) == 0 {
			problems = append(problems, fmt.Sprintf("%s: no *.yaml files", dir))
			continue
		}
		sort.Strings(names)
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			files++
			problems = append(problems, Decode(name, data, &m)...)
		}
	}
	problems = append(problems, m.Check()...)
	for _, p := range problems {
		fmt.Println("check-manifests:", p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("check-manifests: %d files, %d objects: decoded strictly, references and GPU requests consistent\n",
		files, len(m.Objects))
}
