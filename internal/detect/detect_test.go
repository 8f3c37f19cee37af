package detect

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ftgate/ftgate/internal/finding"
)

func mustFile(t *testing.T, name, data string) Config {
	t.Helper()
	c, ok := File(name, []byte(data))
	if !ok {
		t.Fatalf("File(%s) found no config", name)
	}
	return c
}

func notFile(t *testing.T, name, data string) {
	t.Helper()
	if c, ok := File(name, []byte(data)); ok {
		t.Fatalf("File(%s) = %s %s by %s, want no config", name, c.Kind, c.Framework, c.Signature)
	}
}

func TestExtraction(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             Config
	}{{
		name: "axolotl",
		file: "train/lora.yml",
		data: `# QLoRA on Llama
base_model:   "meta-llama/Llama-3.1-8B"
adapter: qlora
datasets:
  - path: ./data/support.jsonl
    type: chat_template
  - path: tatsu-lab/alpaca
    type: alpaca
micro_batch_size: 2
deepspeed: deepspeed_configs/zero2.json
`,
		want: Config{
			Kind: Finetune, Framework: "axolotl", Signature: "axolotl:base_model+datasets",
			BaseModel: "meta-llama/Llama-3.1-8B", BaseModelPos: finding.Position{Line: 2, Col: 15},
			Datasets: []string{"./data/support.jsonl", "tatsu-lab/alpaca"},
			Refs:     []string{"deepspeed_configs/zero2.json"},
		},
	}, {
		name: "axolotl completion datasets are continued pretraining",
		file: "cpt.yaml",
		data: "base_model: m\ndatasets:\n  - path: corpus.txt\n    type: completion\nnum_epochs: 1\n",
		want: Config{
			Kind: Pretrain, Framework: "axolotl", Signature: "axolotl:base_model+datasets",
			BaseModel: "m", BaseModelPos: finding.Position{Line: 1, Col: 13}, Datasets: []string{"corpus.txt"},
		},
	}, {
		name: "column counts code points",
		file: "x.yaml",
		data: "# é\nbase_model: {name: x}\nmodel_name_or_path: \"ünï/cödé\"\nstage: sft\ndataset: a, b ,a\n",
		want: Config{
			Kind: Finetune, Framework: "llama-factory", Signature: "llama-factory:model_name_or_path+stage+dataset",
			BaseModel: "ünï/cödé", BaseModelPos: finding.Position{Line: 3, Col: 21}, Datasets: []string{"a", "b"},
		},
	}, {
		name: "llama-factory pt stage",
		file: "pt.yaml",
		data: "model_name_or_path: Qwen/Qwen3-4B\nstage: pt\ndo_train: true\nfinetuning_type: lora\ndataset: [c4_demo, wiki_demo]\n",
		want: Config{
			Kind: Pretrain, Framework: "llama-factory", Signature: "llama-factory:model_name_or_path+stage+dataset",
			BaseModel: "Qwen/Qwen3-4B", BaseModelPos: finding.Position{Line: 1, Col: 21}, Datasets: []string{"c4_demo", "wiki_demo"},
		},
	}, {
		name: "torchtune",
		file: "recipes/8B_lora.yaml",
		data: `model:
  _component_: torchtune.models.llama3.lora_llama3_8b
tokenizer:
  _component_: torchtune.models.llama3.llama3_tokenizer
  path: /tmp/Meta-Llama-3-8B/original/tokenizer.model
checkpointer:
  _component_: torchtune.training.FullModelMetaCheckpointer
  checkpoint_dir: /tmp/Meta-Llama-3-8B/original/
dataset:
  _component_: torchtune.datasets.instruct_dataset
  source: json
  data_files: data/tickets.json
optimizer:
  _component_: torch.optim.AdamW
`,
		want: Config{
			Kind: Finetune, Framework: "torchtune", Signature: "torchtune:model+dataset+optimizer",
			BaseModel: "/tmp/Meta-Llama-3-8B/original/", BaseModelPos: finding.Position{Line: 8, Col: 19},
			Datasets: []string{"data/tickets.json"},
		},
	}, {
		name: "torchtune text completion is continued pretraining",
		file: "cpt.yaml",
		data: `model: {_component_: torchtune.models.llama3_2.llama3_2_1b}
tokenizer: {_component_: torchtune.models.llama3.llama3_tokenizer, path: /m/tokenizer.model}
checkpointer: {_component_: torchtune.training.FullModelHFCheckpointer}
dataset:
  - {_component_: torchtune.datasets.text_completion_dataset, source: allenai/c4}
optimizer: {_component_: torch.optim.AdamW}
`,
		want: Config{
			Kind: Pretrain, Framework: "torchtune", Signature: "torchtune:model+dataset+optimizer",
			BaseModel: "/m/tokenizer.model", BaseModelPos: finding.Position{Line: 2, Col: 74},
			Datasets: []string{"allenai/c4"},
		},
	}, {
		name: "trl json with escapes and tabs",
		file: "args.json",
		data: "{\n\t\"model_name_or_path\": \"org\\/model\",\n\t\"dataset_name\": \"org/data\",\n\t\"learning_rate\": 2e-5\n}",
		want: Config{
			Kind: Finetune, Framework: "trl", Signature: "trl:model_name_or_path+dataset_name",
			BaseModel: "org/model", BaseModelPos: finding.Position{Line: 2, Col: 24}, Datasets: []string{"org/data"},
		},
	}, {
		name: "run_clm on a text file is continued pretraining",
		file: "clm.json",
		data: `{"model_name_or_path": "gpt2", "train_file": "corpus/nl.txt", "do_train": true, "num_train_epochs": 1}`,
		want: Config{
			Kind: Pretrain, Framework: "trl", Signature: "trl:model_name_or_path+datasets",
			BaseModel: "gpt2", BaseModelPos: finding.Position{Line: 1, Col: 24}, Datasets: []string{"corpus/nl.txt"},
		},
	}, {
		name: "alignment-handbook mixer",
		file: "recipe.yaml",
		data: "model_name_or_path: mistralai/Mistral-7B-v0.1\ndataset_mixer:\n  HuggingFaceH4/ultrachat_200k: 1.0\n  local/extra: 0.5\nlearning_rate: 2.0e-05\n",
		want: Config{
			Kind: Finetune, Framework: "trl", Signature: "trl:model_name_or_path+dataset_mixture",
			BaseModel: "mistralai/Mistral-7B-v0.1", BaseModelPos: finding.Position{Line: 1, Col: 21},
			Datasets: []string{"HuggingFaceH4/ultrachat_200k", "local/extra"},
		},
	}, {
		name: "openai job",
		file: "ft/job.json",
		data: `{"model": "gpt-4o-mini-2024-07-18", "training_file": "file-abc123", "method": {"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.1}}}}`,
		want: Config{
			Kind: Finetune, Framework: "openai-finetune", Signature: "openai-finetune:training_file+model",
			BaseModel: "gpt-4o-mini-2024-07-18", BaseModelPos: finding.Position{Line: 1, Col: 11}, Datasets: []string{"file-abc123"},
		},
	}, {
		name: "peft adapter",
		file: "adapter/adapter_config.json",
		data: "\uFEFF{\"base_model_name_or_path\": \"tiiuae/falcon-rw-1b\", \"peft_type\": \"LORA\", \"r\": 8}",
		want: Config{
			Kind: Finetune, Framework: "peft", Signature: "peft:peft_type+base_model_name_or_path",
			BaseModel: "tiiuae/falcon-rw-1b", BaseModelPos: finding.Position{Line: 1, Col: 30},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := File(tt.file, []byte(tt.data))
			if !ok {
				t.Fatal("no config found")
			}
			tt.want.Path = tt.file
			tt.want.BaseModelPos.File = tt.file
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", tt.want) {
				t.Errorf("got\n  %+v\nwant\n  %+v", got, tt.want)
			}
		})
	}
}

func TestMergeKey(t *testing.T) {
	c := mustFile(t, "x.yaml", "base: &b\n  base_model: org/base\n  micro_batch_size: 1\n<<: *b\ndatasets: [{path: d}]\n")
	if c.BaseModel != "org/base" || c.BaseModelPos.Line != 2 || c.BaseModelPos.Col != 15 {
		t.Errorf("base model %q at %v, want org/base at 2:15 (where the anchor writes it)", c.BaseModel, c.BaseModelPos)
	}
}

func TestMultiDocument(t *testing.T) {
	c := mustFile(t, "x.yaml", "kind: Note\n---\nbase_model: org/m\ndatasets: [{path: d}]\nnum_epochs: 1\n")
	if c.BaseModelPos.Line != 3 {
		t.Errorf("line %d, want 3", c.BaseModelPos.Line)
	}
}

func TestLookAlikes(t *testing.T) {
	for name, data := range map[string]string{
		"infer.yaml":   "model_name_or_path: m\ntemplate: llama3\ninfer_backend: vllm\n",
		"merge.yaml":   "model_name_or_path: m\nadapter_name_or_path: a\nfinetuning_type: lora\nexport_dir: out\n",
		"predict.yaml": "model_name_or_path: m\nstage: sft\ndo_predict: true\nfinetuning_type: lora\ndataset: d\n",
		"notrain.yaml": "model_name_or_path: m\nstage: sft\ndo_train: false\ndataset: d\n",
		"lm-eval.yaml": "model_name_or_path: m\ndataset_name: d\ntasks: [hellaswag]\n",
		"mergekit.yml": "models:\n  - model: a\nmerge_method: ties\nbase_model: b\ndtype: float16\n",
		"tt-gen.yaml":  "model: {_component_: torchtune.models.llama2.llama2_7b}\ncheckpointer: {_component_: torchtune.training.FullModelHFCheckpointer, checkpoint_dir: /m}\ntokenizer: {_component_: torchtune.models.llama2.llama2_tokenizer, path: /t}\nprompt: hi\n",
		"config.json":  `{"architectures": ["LlamaForCausalLM"], "_name_or_path": "m", "model_type": "llama"}`,
		"chat.yaml":    "model: gpt-4o-mini\ntemperature: 0.2\nmax_tokens: 100\n",
		"evals.yaml":   "ab:\n  id: ab.dev.v0\nab.dev.v0:\n  class: evals.elsuite.basic.match:Match\n  args:\n    samples_jsonl: ab/samples.jsonl\n",
		"epochs.yaml":  "model: resnet50\nhyperparameters:\n  n_epochs: 10\n",
		"x.txt":        "base_model: m\ndatasets: [{path: d}]\nnum_epochs: 1\n",
	} {
		t.Run(name, func(t *testing.T) { notFile(t, name, data) })
	}
}

// TestTrainingKeysAreNotLookAlikes: a look-alike is rejected only on keys
// that cannot appear in a training run (SPEC 2). Evaluation during training
// (do_eval), GRPO's sampling settings and LLaMA-Factory's inference backend
// all parse in a training run, so these are configs.
func TestTrainingKeysAreNotLookAlikes(t *testing.T) {
	for name, want := range map[string]string{
		"eval.yaml":     "trl",
		"gen.yaml":      "trl",
		"lf-infer.yaml": "llama-factory",
		"lf-export.yml": "llama-factory",
	} {
		data := map[string]string{
			"eval.yaml":     "model_name_or_path: m\ndataset_name: d\ndo_eval: true\nper_device_eval_batch_size: 8\n",
			"gen.yaml":      "model_name_or_path: m\ndataset_name: d\nmax_new_tokens: 256\ntemperature: 0.7\n",
			"lf-infer.yaml": "model_name_or_path: m\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: d\ninfer_backend: vllm\n",
			"lf-export.yml": "model_name_or_path: m\nstage: sft\nfinetuning_type: lora\ndataset: d\nlearning_rate: 1.0e-4\nexport_dir: out\n",
		}[name]
		t.Run(name, func(t *testing.T) {
			c := mustFile(t, name, data)
			if c.Framework != want || c.Kind != Finetune {
				t.Errorf("%s %s, want finetune %s", c.Kind, c.Framework, want)
			}
		})
	}
}

func TestTextFallback(t *testing.T) {
	tests := []struct {
		name, file, data string
		sig, base        string
		line             int
		datasets         []string
	}{{
		name: "helm template",
		file: "charts/ft/templates/train.yaml",
		data: "{{- if .Values.train }}\nbase_model: {{ .Values.baseModel }}\ndatasets:\n  - path: {{ .Values.data }}\n  - path: org/fixed\nnum_epochs: 3\n{{- end }}\n",
		sig:  "axolotl:text", datasets: []string{"org/fixed"},
	}, {
		name: "template that parses as a flow mapping",
		file: "t.yaml",
		data: "base_model: {{ .Values.baseModel }}\ndatasets:\n  - path: org/d\nnum_epochs: 3\n",
		sig:  "axolotl:text", datasets: []string{"org/d"},
	}, {
		name: "custom tag",
		file: "t.yaml",
		data: "base_model: org/m\ndatasets: !include datasets.yaml\nmicro_batch_size: 1\n",
		sig:  "axolotl:text", base: "org/m", line: 1,
	}, {
		name: "syntax error",
		file: "lf.yaml",
		data: "model_name_or_path: org/m\nstage: sft\ndataset: a,b\n  bad: [indent\n",
		sig:  "llama-factory:text", base: "org/m", line: 1, datasets: []string{"a", "b"},
	}, {
		name: "truncated json",
		file: "adapter_config.json",
		data: `{"base_model_name_or_path": "org/m", "peft_type": "LORA", "r": `,
		sig:  "peft:text", base: "org/m", line: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustFile(t, tt.file, tt.data)
			if c.Signature != tt.sig || c.BaseModel != tt.base || c.BaseModelPos.Line != tt.line || !slices.Equal(c.Datasets, tt.datasets) {
				t.Errorf("got %s base=%q at line %d datasets=%q; want %s base=%q at line %d datasets=%q",
					c.Signature, c.BaseModel, c.BaseModelPos.Line, c.Datasets, tt.sig, tt.base, tt.line, tt.datasets)
			}
		})
	}
	// Without a text signature, an unparsable file is not a config.
	notFile(t, "t.yaml", "image: {{ .Values.image }}\nreplicas: 2\n")
}

func TestBinaryNeverConfig(t *testing.T) {
	cfg := "base_model: org/m\ndatasets: [{path: d}]\nnum_epochs: 1\n"
	notFile(t, "nul.yaml", cfg+"# \x00\n")
	notFile(t, "latin1.yaml", cfg+"# caf\xe9\n")
	notFile(t, "nul.jsonl", `{"messages": [{"role": "assistant", "content": "x\u0000"}]}`+"\x00\n")
	// A rune cut by the 64 KiB window is not invalid UTF-8.
	long := cfg + "# " + strings.Repeat("é", MaxHead) + "\n"
	mustFile(t, "long.yaml", long)
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i, prev := 0, "a"; i < 9; i++ {
		name := fmt.Sprintf("b%d", i)
		fmt.Fprintf(&b, "%s: &%s [%s]\n", name, name, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ","))
		prev = name
	}
	bomb := b.String()
	start := time.Now()
	notFile(t, "bomb.yaml", bomb)
	// The same bomb in an axolotl config makes it unparsable: the text
	// signature still sees a training config.
	c := mustFile(t, "bomb.yaml", "base_model: org/m\ndatasets:\n  - path: d\nnum_epochs: 1\n"+bomb+"x: *b8\n")
	if c.Signature != "axolotl:text" {
		t.Errorf("signature %s, want axolotl:text", c.Signature)
	}
	c = mustFile(t, "cycle.yaml", "base_model: &a [*a]\ndatasets: *a\nnum_epochs: 1\n")
	if c.Signature != "axolotl:text" || c.BaseModel != "" {
		t.Errorf("alias cycle: %s base %q, want axolotl:text without a base model", c.Signature, c.BaseModel)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("alias bombs took %v", d)
	}
}

func TestSizeRule(t *testing.T) {
	cfg := "base_model: org/m\ndatasets:\n  - path: d\nnum_epochs: 1\n"
	line := "# padding padding padding padding padding padding padding\n"
	// A signature past the first 64 KiB is still seen: YAML is read whole
	// up to MaxFile.
	mustFile(t, "late.yaml", strings.Repeat(line, MaxHead/50)+cfg)
	// Past MaxFile the file cannot be judged: FT004, not a pass.
	big := strings.Repeat(line, MaxFile/len(line)+1) + cfg
	if _, ok, why, _ := judgeFile("big.yaml", YAML, []byte(big)); ok || why != ReasonTooLarge {
		t.Errorf("big.yaml: config %v, unjudged %q; want %q", ok, why, ReasonTooLarge)
	}
	if _, ok, why, _ := judgeFile("big.py", Python, []byte(strings.Repeat(line, MaxFile/len(line)+1)+"SFTTrainer(model=m)\n")); ok || why != ReasonTooLarge {
		t.Errorf("big.py: config %v, unjudged %q; want %q", ok, why, ReasonTooLarge)
	}
	// A large binary file is not a config and not unjudged.
	if _, ok, why, _ := judgeFile("big.yaml", YAML, append([]byte{0}, big...)); ok || why != "" {
		t.Errorf("binary big.yaml: config %v, unjudged %q", ok, why)
	}
	// JSON data is judged on its first 64 KiB: a key cut by the window is
	// not seen.
	js := `{"peft_type": "LORA", "task_type": "CAUSAL_LM"}`
	notFile(t, "late.json", "{\"pad\": \""+strings.Repeat("x", MaxHead)+"\", "+js[1:])
	mustFile(t, "early.json", js)
}

func TestChatJSONL(t *testing.T) {
	chat := `{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}
{"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]}]}

`
	c := mustFile(t, "data/train.jsonl", chat)
	if c.Framework != "chat-jsonl" || c.Kind != Finetune {
		t.Errorf("got %s %s", c.Kind, c.Framework)
	}
	notFile(t, "batch.jsonl", `{"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "x"}]}}
`)
	notFile(t, "prompts.jsonl", chat+`{"messages": [{"role": "user", "content": "no answer"}]}`+"\n")
	notFile(t, "text.jsonl", `{"text": "raw"}`+"\n")
	notFile(t, "pc.jsonl", `{"prompt": "p", "completion": "c"}`+"\n")
	notFile(t, "map.jsonl", `{"messages": {"role": "assistant", "content": "x"}}`+"\n")
	notFile(t, "empty.jsonl", "\n\n")
	// One broken line: the text signature decides.
	c = mustFile(t, "broken.jsonl", chat+`{"messages": [`+"\n")
	if c.Signature != "chat-jsonl:text" {
		t.Errorf("signature %s, want chat-jsonl:text", c.Signature)
	}
}

func TestCandidate(t *testing.T) {
	for name, want := range map[string]bool{
		"a.yaml": true, "a.YML": true, "a.json": true, "a.jsonl": true,
		"a.py": true, "a.ipynb": true, "a.sh": true, "a.toml": true,
		"a.ndjson": true, "a.bash": true, "SFT.YAML": true, "t.BASH": true, "x/Modelfile": true,
		"a.txt": false, "a.yaml.bak": false, "a.cfg": false, "yaml": false,
	} {
		if got := Candidate(name); got != want {
			t.Errorf("Candidate(%q) = %v, want %v", name, got, want)
		}
	}
}

const (
	axolotlCfg  = "base_model: org/m\ndatasets:\n  - path: d\nnum_epochs: 1\ndeepspeed: ds/zero3.json\n"
	pretrainCfg = "base_model: org/m\npretraining_dataset:\n  - path: allenai/c4\nmax_steps: 10\n"
)

func TestDetect(t *testing.T) {
	fsys := fstest.MapFS{
		"train/a.yaml":            {Data: []byte(axolotlCfg)},
		"ds/zero3.json":           {Data: []byte(`{"zero_optimization": {"stage": 3}}`)},
		"examples/b.yaml":         {Data: []byte(axolotlCfg)},
		"examples/keep.yaml":      {Data: []byte(axolotlCfg)},
		"decisions/ftd-1.yaml":    {Data: []byte(axolotlCfg)},
		"decisionsx/c.yaml":       {Data: []byte(axolotlCfg)},
		"pt/cpt.yaml":             {Data: []byte(pretrainCfg)},
		"custom/run.py":           {Data: []byte("trainer.train()\n")},
		"custom/notes.yaml":       {Data: []byte("a: 1\n")},
		"readme.md":               {Data: []byte(axolotlCfg)},
		"dir.yaml/inner.txt":      {Data: []byte("x")},
		"train/sub/rel.yaml":      {Data: []byte("base_model: m\ndatasets: [{path: d}]\nnum_epochs: 1\ndeepspeed: ../zero.json\nfsdp_config: https://x/y.json\n")},
		"train/zero.json":         {Data: []byte(`{}`)},
		"train/bad-ref.yaml":      {Data: []byte("base_model: m\ndatasets: [{path: d}]\nnum_epochs: 1\ndeepspeed: ds/zero3.json/x\n")},
		"decisions/nested/r.yaml": {Data: []byte(axolotlCfg)},
	}
	paths := []string{
		"./train/a.yaml", "examples/b.yaml", "examples/keep.yaml", "decisions/ftd-1.yaml", "decisions/nested/r.yaml",
		"decisionsx/c.yaml", "pt/cpt.yaml", "custom/run.py", "custom/notes.yaml", "readme.md", "gone.yaml",
		"dir.yaml", "train/sub/rel.yaml", "train/a.yaml", "train/bad-ref.yaml",
	}
	res, err := Detect(fsys, paths, Options{
		Include: []string{"custom/*.py", "examples/keep.yaml"},
		Exclude: []string{"examples/**"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Configs {
		got = append(got, fmt.Sprintf("%s %s %s %s refs=%v", c.Path, c.Kind, c.Framework, c.Signature, c.Refs))
		if c.Framework == BackendFramework {
			got = append(got, fmt.Sprintf("  via %v", c.Via))
		}
	}
	// Backend files are configs only through the configs that reference
	// them, and are covered through every one of those.
	want := []string{
		"custom/run.py finetune custom include:custom/*.py refs=[]",
		"decisionsx/c.yaml finetune axolotl axolotl:base_model+datasets refs=[ds/zero3.json]",
		"ds/zero3.json finetune backend backend:named-by:decisionsx/c.yaml refs=[]",
		"  via [decisionsx/c.yaml train/a.yaml]",
		"examples/keep.yaml finetune custom include:examples/keep.yaml refs=[]",
		"pt/cpt.yaml pretrain axolotl axolotl:base_model+pretraining_dataset refs=[]",
		"train/a.yaml finetune axolotl axolotl:base_model+datasets refs=[ds/zero3.json]",
		"train/bad-ref.yaml finetune axolotl axolotl:base_model+datasets refs=[]",
		"train/sub/rel.yaml finetune axolotl axolotl:base_model+datasets refs=[train/zero.json]",
		"train/zero.json finetune backend backend:named-by:train/sub/rel.yaml refs=[]",
		"  via [train/sub/rel.yaml]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("configs:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if len(res.Excluded) != 1 || res.Excluded[0].Config.Path != "examples/b.yaml" || res.Excluded[0].Glob != "examples/**" ||
		res.Excluded[0].Config.Framework != "axolotl" {
		t.Errorf("excluded = %+v", res.Excluded)
	}

	res, err = Detect(fsys, []string{"pt/cpt.yaml", "train/a.yaml", "decisions/ftd-1.yaml"},
		Options{Pretrain: "ignore", RecordsDir: "./train/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Configs) != 2 || res.Configs[0].Path != "decisions/ftd-1.yaml" || res.Configs[1].Path != "ds/zero3.json" {
		t.Errorf("pretrain ignored and records dir train/: got %+v", res.Configs)
	}
}

func TestDetectOptionErrors(t *testing.T) {
	for name, opt := range map[string]Options{
		"bad include":  {Include: []string{"/abs"}},
		"bad exclude":  {Exclude: []string{"a//b"}},
		"bad pretrain": {Pretrain: "sometimes"},
	} {
		if _, err := Detect(fstest.MapFS{}, nil, opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Detect(fstest.MapFS{}, []string{"../outside.yaml"}, Options{}); err == nil {
		t.Error("path outside the repository: no error")
	}
}

// failFS fails every open with a permission error.
type failFS struct{}

func (failFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

func TestDetectReadError(t *testing.T) {
	_, err := Detect(failFS{}, []string{"a.yaml"}, Options{})
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("err = %v, want a permission error", err)
	}
	// Files no detector reads are not opened at all.
	if _, err := Detect(failFS{}, []string{"a.md", "b.png"}, Options{}); err != nil {
		t.Errorf("non-candidates were read: %v", err)
	}
}

// TestDetectLaunchersOnlyForGivenPaths: a launcher read for its targets puts
// on trial the given non-candidate it names, not the launcher itself nor a
// target that was not given, and a script not holding the name is skipped.
func TestDetectLaunchersOnlyForGivenPaths(t *testing.T) {
	cfg := "base_model: m/x\ndatasets:\n  - path: d\n    type: chat_template\nmicro_batch_size: 2\n"
	fsys := fstest.MapFS{
		"train/run.sh":   {Data: []byte("#!/bin/sh\naxolotl train train/a.txt\naxolotl train train/b.txt\n")},
		"train/other.sh": {Data: []byte("#!/bin/sh\necho a.txt\n")},
		"train/a.txt":    {Data: []byte(cfg)},
		"train/b.txt":    {Data: []byte(cfg)},
		"train/c.txt":    {Data: []byte(cfg)},
	}
	launchers := []string{"train/run.sh", "train/other.sh"}
	for _, tc := range []struct {
		paths []string
		want  []string
	}{
		{[]string{"train/a.txt"}, []string{"train/a.txt"}},
		{[]string{"train/c.txt"}, nil},
		{[]string{"train/a.txt", "train/b.txt"}, []string{"train/a.txt", "train/b.txt"}},
	} {
		res, err := Detect(fsys, tc.paths, Options{Launchers: launchers})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range res.Configs {
			got = append(got, c.Path)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Detect(%v) configs %v, want %v", tc.paths, got, tc.want)
		}
	}
	// Without launchers, a non-candidate is nothing.
	res, err := Detect(fsys, []string{"train/a.txt"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Configs) != 0 {
		t.Errorf("without launchers: %v", res.Configs)
	}
}

// TestDetectCoveredUnreadable: a covered non-candidate is FT004 material when
// it is an LFS pointer or a directory (submodule), and nothing otherwise.
func TestDetectCoveredUnreadable(t *testing.T) {
	fsys := fstest.MapFS{
		"t/ptr.bin":     {Data: []byte("version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n")},
		"t/plain.bin":   {Data: []byte("version 2\n")},
		"t/sub/x":       {Data: []byte("x")},
		"other/ptr.bin": {Data: []byte("version https://git-lfs.github.com/spec/v1\n")},
	}
	covered := func(p string) bool { return strings.HasPrefix(p, "t/") }
	res, err := Detect(fsys, []string{"t/ptr.bin", "t/plain.bin", "t/sub", "other/ptr.bin"}, Options{Covered: covered})
	if err != nil {
		t.Fatal(err)
	}
	want := []Unjudged{{Path: "t/ptr.bin", Reason: ReasonLFS}, {Path: "t/sub", Reason: ReasonSubmodule}}
	if !slices.Equal(res.Unjudged, want) {
		t.Errorf("unjudged %v, want %v", res.Unjudged, want)
	}
}

// TestSharedBackendFinetuneWins: a DeepSpeed file named by a pretraining
// config and a fine-tuning config is fine-tuning material, in either order.
func TestSharedBackendFinetuneWins(t *testing.T) {
	pre := "base_model: m/x\npretraining_dataset:\n  - path: c4\nmicro_batch_size: 2\ndeepspeed: ds.json\n"
	ft := "base_model: m/x\ndatasets:\n  - path: d\n    type: chat_template\nmicro_batch_size: 2\ndeepspeed: ds.json\n"
	for _, names := range [][2]string{{"a.yaml", "b.yaml"}, {"b.yaml", "a.yaml"}} {
		fsys := fstest.MapFS{
			names[0]:  {Data: []byte(pre)},
			names[1]:  {Data: []byte(ft)},
			"ds.json": {Data: []byte(`{"zero_optimization": {"stage": 3}}`)},
		}
		res, err := Detect(fsys, []string{"a.yaml", "b.yaml"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]string{}
		for _, c := range res.Configs {
			kinds[c.Path] = c.Kind
		}
		want := map[string]string{names[0]: Pretrain, names[1]: Finetune, "ds.json": Finetune}
		if !maps.Equal(kinds, want) {
			t.Errorf("pretrain config %s: kinds %v, want %v", names[0], kinds, want)
		}
	}
}

// TestDetectLaunchersManyNames: past maxOrphanNames non-candidates, every
// launcher is parsed and the launched one is still found.
func TestDetectLaunchersManyNames(t *testing.T) {
	cfg := "base_model: m/x\ndatasets:\n  - path: d\n    type: chat_template\nmicro_batch_size: 2\n"
	fsys := fstest.MapFS{
		"run.sh": {Data: []byte("axolotl train a.txt\n")},
		"a.txt":  {Data: []byte(cfg)},
	}
	paths := []string{"a.txt"}
	for i := range maxOrphanNames + 1 {
		paths = append(paths, fmt.Sprintf("notes/%d.md", i))
	}
	res, err := Detect(fsys, paths, Options{Launchers: []string{"run.sh"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Configs) != 1 || res.Configs[0].Path != "a.txt" {
		t.Errorf("configs %v, want a.txt", res.Configs)
	}
}
