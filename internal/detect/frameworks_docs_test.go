package detect

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestDocumentedSchemas covers the detectors the public corpus has no files
// for, with configs written after each service's or project's documented
// schema, and a look-alike each that must stay undetected.
func TestDocumentedSchemas(t *testing.T) {
	cases := []struct {
		name, path, src       string
		framework, kind, base string
	}{
		{"vertex sft", "jobs/tune.json", `{
  "baseModel": "gemini-2.0-flash-001",
  "supervisedTuningSpec": {
    "trainingDatasetUri": "gs://acme-tuning/train.jsonl",
    "validationDatasetUri": "gs://acme-tuning/val.jsonl",
    "hyperParameters": {"epochCount": 3}
  },
  "tunedModelDisplayName": "contract-risk"
}`, "vertex-ai", Finetune, "gemini-2.0-flash-001"},
		{"vertex prediction request", "jobs/predict.json", `{"instances": [{"prompt": "hi"}], "parameters": {"temperature": 0.2}}`, "", "", ""},
		{"bedrock fine-tuning", "jobs/bedrock.json", `{
  "jobName": "contract-risk-ft",
  "customModelName": "contract-risk",
  "roleArn": "arn:aws:iam::123456789012:role/Bedrock",
  "baseModelIdentifier": "amazon.titan-text-express-v1",
  "customizationType": "FINE_TUNING",
  "trainingDataConfig": {"s3Uri": "s3://acme/train.jsonl"},
  "outputDataConfig": {"s3Uri": "s3://acme/out/"},
  "hyperParameters": {"epochCount": "2"}
}`, "bedrock", Finetune, "amazon.titan-text-express-v1"},
		{"bedrock continued pretraining", "jobs/cpt.json", `{
  "baseModelIdentifier": "amazon.titan-text-lite-v1",
  "customizationType": "CONTINUED_PRE_TRAINING",
  "trainingDataConfig": {"s3Uri": "s3://acme/corpus.jsonl"}
}`, "bedrock", Pretrain, "amazon.titan-text-lite-v1"},
		{"bedrock invocation", "jobs/invoke.json", `{"modelId": "amazon.titan-text-express-v1", "body": {"inputText": "hi"}}`, "", "", ""},
		{"wandb sweep of a fine-tuning script", "sweeps/lora.yaml", `program: finetune.py
method: bayes
metric: {name: eval/loss, goal: minimize}
parameters:
  model_name_or_path:
    value: mistralai/Mistral-7B-v0.1
  lora_r:
    values: [8, 16, 32]
  learning_rate:
    min: 0.00001
    max: 0.0003
`, "wandb-sweep", Finetune, "mistralai/Mistral-7B-v0.1"},
		{"wandb sweep of an image classifier", "sweeps/cnn.yaml", `program: train_cnn.py
method: random
parameters:
  batch_size: {values: [32, 64]}
  dropout: {min: 0.1, max: 0.5}
`, "", "", ""},
		{"mistral-finetune instruct", "mistral/7b.yaml", `data:
  instruct_data: "/data/ultrachat_chunk_train.jsonl"
  eval_instruct_data: "/data/ultrachat_chunk_eval.jsonl"
model_id_or_path: "/models/mistral-7B-v0.3"
lora:
  rank: 64
seq_len: 8192
batch_size: 1
max_steps: 300
run_dir: "/runs/7b"
`, "mistral-finetune", Finetune, "/models/mistral-7B-v0.3"},
		{"mistral-finetune raw text", "mistral/cpt.yaml", `data:
  data: "/data/domain_corpus.jsonl"
model_id_or_path: "/models/mistral-7B-v0.3"
lora:
  rank: 64
max_steps: 1000
run_dir: "/runs/cpt"
`, "mistral-finetune", Pretrain, "/models/mistral-7B-v0.3"},
		{"kubeflow trainjob with initializers", "k8s/trainjob.yaml", `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: fine-tune-llama
spec:
  runtimeRef:
    name: torchtune-llama3.2-1b
  initializer:
    dataset:
      storageUri: hf://tatsu-lab/alpaca
    model:
      storageUri: hf://meta-llama/Llama-3.2-1B-Instruct
`, "kubeflow-trainer", Finetune, "hf://meta-llama/Llama-3.2-1B-Instruct"},
		{"kubeflow trainjob referencing a runtime only", "k8s/plain.yaml", `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: mnist
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    numNodes: 2
`, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, ok := File(c.path, []byte(c.src))
			if c.framework == "" {
				if ok {
					t.Fatalf("look-alike detected as %s (%s)", cfg.Framework, cfg.Signature)
				}
				return
			}
			if !ok {
				t.Fatal("not detected")
			}
			if cfg.Framework != c.framework || cfg.Kind != c.kind || cfg.BaseModel != c.base {
				t.Errorf("got framework %q kind %q base %q; want %q %q %q", cfg.Framework, cfg.Kind, cfg.BaseModel, c.framework, c.kind, c.base)
			}
		})
	}
}

// TestNamedDataJSONL: {"text"} and {"prompt","completion"} JSONL are training
// configs only when a detected config names them as its dataset.
func TestNamedDataJSONL(t *testing.T) {
	fsys := fstest.MapFS{
		"train/sft.yaml":   {Data: []byte("base_model: org/model\ndatasets:\n  - path: data/pc.jsonl\n    type: completion\n  - path: data/missing.jsonl\n    type: alpaca\nnum_epochs: 1\nmicro_batch_size: 1\n")},
		"data/pc.jsonl":    {Data: []byte(`{"prompt": "a", "completion": "b"}` + "\n" + `{"prompt": "c", "completion": "d"}` + "\n")},
		"data/other.jsonl": {Data: []byte(`{"text": "unnamed raw text"}` + "\n")},
		"data/rows.jsonl":  {Data: []byte(`{"a": 1}` + "\n")},
	}
	res, err := Detect(fsys, []string{"train/sft.yaml", "data/other.jsonl", "data/rows.jsonl"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Configs {
		got = append(got, c.Path+" "+c.Framework)
	}
	want := []string{"data/pc.jsonl " + DataFramework, "train/sft.yaml axolotl"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("configs %v, want %v", got, want)
	}
	for _, c := range res.Configs {
		if c.Path == "data/pc.jsonl" && (c.Signature != DataFramework+":named-by:train/sft.yaml" || len(c.Via) != 1) {
			t.Errorf("signature %q", c.Signature)
		}
	}
	if !plainJSONL([]byte(`{"text": "x"}`)) || plainJSONL([]byte(`{"messages": []}`)) || plainJSONL(nil) {
		t.Error("plainJSONL misjudges")
	}
}
