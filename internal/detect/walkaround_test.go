package detect

import (
	"strings"
	"testing"
)

// TestWalkArounds holds every way around detection reported against it, each
// with the verdict it must now get: the kind and framework, or no config.
func TestWalkArounds(t *testing.T) {
	tests := []struct {
		name, file, data string
		kind, framework  string // "" kind: not a config
		line             int
	}{
		// pretrain only on positive evidence.
		{"unused group_texts", "t.py", "from transformers import AutoModelForCausalLM, Trainer\nm = AutoModelForCausalLM.from_pretrained(\"org/m\")\ndef group_texts(x):\n    return x\nTrainer(model=m).train()\n", Finetune, "transformers", 5},
		{"group_texts over chat data", "t.py", "m = AutoModelForCausalLM.from_pretrained(\"org/m\")\nds = ds.map(lambda x: tok.apply_chat_template(x))\nlm = ds.map(group_texts)\nTrainer(model=m).train()\n", Finetune, "transformers", 4},
		{"run_clm", "t.py", "m = AutoModelForCausalLM.from_pretrained(\"org/m\")\nlm = raw.map(\n    group_texts, batched=True)\nTrainer(model=m).train()\n", Pretrain, "transformers", 4},
		{"unused train_file", "t.yaml", "model_name_or_path: m\ndataset_name: d\ntrain_file: x.txt\n", Finetune, "trl", 0},
		{"raw train_file", "t.yaml", "model_name_or_path: m\ntrain_file: x.txt\nlearning_rate: 1.0e-5\n", Pretrain, "trl", 0},
		{"GRPO on completion data", "t.yaml", "base_model: m\nrl: grpo\ntrl:\n  reward_funcs: [r.acc]\ndatasets:\n  - path: d\n    type: completion\nmicro_batch_size: 1\n", Finetune, "axolotl", 0},
		{"reward funcs only", "t.yaml", "base_model: m\ntrl:\n  reward_funcs: [r.acc]\ndatasets:\n  - path: d\n    type: completion\nmicro_batch_size: 1\n", Finetune, "axolotl", 0},
		{"DPO on completion data", "t.yaml", "base_model: m\nrl: dpo\ndatasets:\n  - path: d\n    type: completion\nmicro_batch_size: 1\n", Finetune, "axolotl", 0},
		{"completion data", "t.yaml", "base_model: m\ndatasets:\n  - path: d\n    type: completion\nmicro_batch_size: 1\n", Pretrain, "axolotl", 0},
		{"template placeholder", "t.yaml", "base_model: ${BASE}\npretraining_dataset: ${PRETRAINING_DATASET}\ndatasets:\n  - path: ${D}\nmicro_batch_size: 1\n", Finetune, "axolotl", 0},
		{"streaming pretraining", "t.yaml", "base_model: m\npretraining_dataset:\n  - path: allenai/c4\nmax_steps: 10\n", Pretrain, "axolotl", 0},
		{"LLaMA-Factory pt with DPO beta", "t.yaml", "model_name_or_path: m\nstage: pt\ndataset: c4\npref_beta: 0.1\n", Finetune, "llama-factory", 0},
		// Chat data.
		{"custom_id", "d.jsonl", `{"custom_id": "1", "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}` + "\n", Finetune, "chat-jsonl", 0},
		{"ndjson", "d.NDJSON", `{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}` + "\n", Finetune, "chat-jsonl", 0},
		// Code as code.
		{"space before (", "t.py", "t = SFTTrainer (model=m)\n", Finetune, "trl", 1},
		{"newline before ( in brackets", "t.py", "x = (SFTTrainer\n  (model=m))\n", Finetune, "trl", 1},
		{"one-line def", "t.py", "def go(): return SFTTrainer(model=m)\n", Finetune, "trl", 1},
		{"class header", "t.py", "class My(SFTTrainer):\n    pass\n", "", "", 0},
		{"in a string", "t.py", "s = 'SFTTrainer(model=m)'\n", "", "", 0},
		{"in a docstring", "t.py", "\"\"\"\nSFTTrainer(model=m)\n\"\"\"\n", "", "", 0},
		{"string prefix and escape", "t.py", "s = rb'\\'SFTTrainer(' \nt = f\"\\\"\"\n", "", "", 0},
		{"CR after a comment", "t.py", "# c\rt = SFTTrainer(model=m)\r", Finetune, "trl", 2},
		{"CRLF", "t.py", "# c\r\n\r\nt = SFTTrainer(model=m)\r\n", Finetune, "trl", 3},
		{"continuation", "t.py", "t = SFTTrainer \\\n(model=m)\n", Finetune, "trl", 1},
		{"spaced method chain", "t.py", "job = client.fine_tuning.jobs.create (model='gpt-4o-mini', training_file='f')\n", Finetune, "openai-finetune", 1},
		{"notebook split name", "n.ipynb", `{"cells": [{"cell_type": "code", "source": ["x = 1\n", "t = SFT", "Trainer(model=m)\n"]}]}`, Finetune, "trl", 1},
		{"notebook markdown", "n.ipynb", `{"cells": [{"cell_type": "markdown", "source": ["SFTTrainer(model=m)"]}]}`, "", "", 0},
		{"axolotl DictDefault", "n.ipynb", `{"cells": [{"cell_type": "code", "source": ["from axolotl.utils.dict import DictDefault\n", "cfg = DictDefault(base_model=\"NousResearch/Llama-3.2-1B\", adapter=\"qlora\",\n", "  datasets=[{\"path\": \"tatsu-lab/alpaca\", \"type\": \"alpaca\"}])\n", "train(cfg=cfg, dataset_meta=meta)\n"]}]}`, Finetune, "axolotl", 1},
		{"get_peft_model alone", "t.py", "from peft import get_peft_model\nm = get_peft_model(base, cfg)\nm.save_pretrained('out')\n", "", "", 0},
		{"get_peft_model and a loop", "t.py", "m = get_peft_model(base, cfg)\nloss = m(**b).loss\nloss.backward()\n", Finetune, "peft", 1},
		{"training loop", "t.py", "model = AutoModelForCausalLM.from_pretrained('org/m')\nfor b in dl:\n    loss = model(**b).loss\n    loss.backward()\n    optimizer.step()\n", Finetune, "transformers", 4},
		{"vision encoder loop", "t.py", "import timm\nmodel = timm.create_model('vit_base_patch16_224', pretrained=True, num_classes=10)\nfor x, y in dl:\n    loss = crit(model(x), y)\n    loss.backward()\n    optimizer.step()\n", Finetune, "transformers", 5},
		{"torchvision weights loop", "t.py", "m = resnet50(weights=ResNet50_Weights.DEFAULT)\nfor x, y in dl:\n    loss = crit(m(x), y)\n    loss.backward()\n    opt.step()\n", Finetune, "transformers", 4},
		{"loop from scratch", "t.py", "m = resnet50(weights=None)\nfor x, y in dl:\n    loss = crit(m(x), y)\n    loss.backward()\n    opt.step()\n", "", "", 0},
		// Launchers.
		{"quoted subcommand", "t.sh", "llamafactory-cli \"train\" --model_name_or_path m --dataset d\n", Finetune, "llama-factory", 1},
		{"dashed flags", "t.sh", "trl sft --model-name-or-path m --dataset-name d\n", Finetune, "trl", 1},
		{"continued lines", "t.bash", "# run\ntrl sft \\\n  --model_name_or_path=m \\\n  --dataset_name d\n", Finetune, "trl", 2},
		{"commented out", "t.sh", "# trl sft --model_name_or_path m --dataset_name d\n", "", "", 0},
		{"commands in a heredoc", "t.sh", "read -r -d '' cmd <<EOF\nopenrlhf.cli.train_sft \\\n  --data.dataset d \\\n  --model.model_name_or_path m\nEOF\ndeepspeed --module $cmd\n", Finetune, "openrlhf", 2},
		// Look-alikes only on keys a training run cannot take.
		{"LLaMA-Factory training with infer_backend", "t.yaml", "model_name_or_path: m\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: d\ninfer_backend: vllm\n", Finetune, "llama-factory", 0},
		{"TRL with do_eval", "t.yaml", "model_name_or_path: m\ndataset_name: d\ndo_eval: true\n", Finetune, "trl", 0},
		{"upper-case extension", "T.YML", "model_name_or_path: m\ndataset_name: d\n", Finetune, "trl", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := File(tt.file, []byte(tt.data))
			if tt.kind == "" {
				if ok {
					t.Fatalf("%s %s by %s at line %d, want no config", got.Kind, got.Framework, got.Signature, got.Line)
				}
				return
			}
			if !ok {
				t.Fatalf("no config, want %s %s", tt.kind, tt.framework)
			}
			if got.Kind != tt.kind || got.Framework != tt.framework || got.Line != tt.line {
				t.Errorf("%s %s (%s) at line %d, want %s %s at line %d", got.Kind, got.Framework, got.Signature, got.Line, tt.kind, tt.framework, tt.line)
			}
		})
	}
}

// TestLibraryCode: code that reads as a library or a test is marked, so the
// FT001 hint points at detect.exclude.
func TestLibraryCode(t *testing.T) {
	for name, want := range map[string]bool{
		"tests/e2e/test_lora.py": true,
		"pkg/trainer_test.py":    true,
		"src/lib/builder.py":     true,
		"scripts/train.py":       false,
		"nb/run.ipynb":           false,
	} {
		data := "def build(m):\n    return SFTTrainer(model=m)\n"
		if strings.HasSuffix(name, ".ipynb") {
			data = `{"cells": [{"cell_type": "code", "source": ["def build(m):\n", "    return SFTTrainer(model=m)\n"]}]}`
		}
		if name == "scripts/train.py" {
			data += "if __name__ == \"__main__\":\n    build('org/m').train()\n"
		}
		c := mustFile(t, name, data)
		if c.Library != want {
			t.Errorf("%s: Library %v, want %v", name, c.Library, want)
		}
	}
}

// TestTokenizeMapsBack: every byte tokenize keeps maps back to the same
// byte of the file, so lines and columns point where the code is written.
func TestTokenizeMapsBack(t *testing.T) {
	for _, in := range []string{
		"a = f (x)  # c\r\nb = 'it''s' \\\r\n  + g . h(\"\"\"doc\r\n\"\"\")\rc=[1,\n 2]\n",
		"x = rb'\\'' ; y = \"é\"  .  z\t(\n  1)\r",
		"def f(): return T (m)\n\n\n  \\\n   q",
	} {
		src := pythonSource([]byte(in))
		for off := range src.text {
			o := len(src.base)
			if i, _ := slicesIndexAnchor(src.anchors, off); i >= 0 {
				o = src.anchors[i].in + off - src.anchors[i].out
			}
			got, want := src.text[off], src.base[o]
			if got != want && !(got == '\n' && want == '\r') && !(got == ' ' && want == '"') {
				t.Errorf("%q: output %d is %q, maps to input %d %q", in, off, got, o, want)
			}
		}
	}
	src := pythonSource([]byte("# c\r\r\nx = 1; m = AutoModel.from_pretrained (\"org/m\")\n"))
	if line, col := src.at(strings.Index(string(src.text), "org/m")); line != 3 || col != 40 {
		t.Errorf("org/m at %d:%d, want 3:40", line, col)
	}
}

func slicesIndexAnchor(as []anchor, off int) (int, bool) {
	i := -1
	for j, a := range as {
		if a.out <= off {
			i = j
		}
	}
	return i, i >= 0
}

// TestNotebookMalformed: a notebook whose JSON is broken in any way ends,
// read as text when its cells cannot be told.
func TestNotebookMalformed(t *testing.T) {
	for _, nb := range []string{
		`{"cells": [}]}`, `{"cells": [{"cell_type": "code", "source": [}]}]}`, `{"cells": }`,
		`{"cells": [{"source": "SFTTrainer(m)", "cell_type": "code"}, ]]]`, `{"cells": [`, `]`,
	} {
		notebookSource([]byte(nb))
	}
	c := mustFile(t, "n.ipynb", `{"cells": [{"source": ["t = SFTTrainer(m)\n"], "cell_type": "code"}]}`)
	if c.Line != 1 {
		t.Errorf("line %d, want 1", c.Line)
	}
}
