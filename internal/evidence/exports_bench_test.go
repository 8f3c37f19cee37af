package evidence

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// largeLabelStudio writes a Label Studio JSON export of tasks tasks, each
// with a 1 KiB text and three annotations, as a real export of long
// documents would be.
func largeLabelStudio(tasks int) []byte {
	var b strings.Builder
	text := strings.Repeat("lorem ipsum ", 85)
	labels := []string{"low", "medium", "high"}
	b.WriteString("[\n")
	for t := range tasks {
		if t > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": %d, "data": {"text": %q}, "predictions": [], "annotations": [`, t+1, text)
		for a := range 3 {
			if a > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id": %d, "completed_by": {"id": %d, "email": "u%d@example.com"}, "was_cancelled": false, "result": [{"from_name": "priority", "to_name": "text", "type": "choices", "value": {"choices": [%q]}}]}`,
				t*3+a, a+1, a+1, labels[(t+a)%3])
		}
		b.WriteString("]}")
	}
	b.WriteString("\n]\n")
	return []byte(b.String())
}

// BenchmarkReadLabelStudio reads a 20,000-task export (about 34 MB), one
// task at a time: B/op stays near the file's size whatever the number of
// tasks, since no task outlives its decoding.
func BenchmarkReadLabelStudio(b *testing.B) {
	data := largeLabelStudio(benchTasks)
	fsys := fstest.MapFS{"export.json": {Data: data}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var a *Annotations
	for b.Loop() {
		var err error
		a, err = ReadAnnotations(fsys, "export.json", 0, AnnotationOptions{Question: "priority"})
		if err != nil {
			b.Fatal(err)
		}
	}
	if a.NumUnits() != benchTasks || len(a.Ratings) != 3*benchTasks {
		b.Fatalf("read %d units, %d ratings", a.NumUnits(), len(a.Ratings))
	}
}

// benchTasks is the size of the benchmark's export.
var benchTasks = 20000
