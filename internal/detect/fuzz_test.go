package detect

import (
	"bytes"
	"os"
	"path"
	"testing"
	"unicode/utf8"
)

// fuzzNames are the file names a fuzzed input is judged under: one per
// format, and the name PEFT writes.
var fuzzNames = []string{
	"config.yaml", "args.json", "train.jsonl", "adapter_config.json",
	"train.py", "tune.ipynb", "launch.sh", "train.toml",
}

// FuzzFile checks that no input makes File panic and that a reported base
// model position lies inside the part of the file detectors read.
func FuzzFile(f *testing.F) {
	seeds := []string{
		"base_model: org/m\ndatasets:\n  - path: d\nnum_epochs: 1\n",
		"base_model: &a [*a]\ndatasets: *a\nnum_epochs: 1\n",
		"base_model: {{ .Values.m }}\ndatasets: !include d.yaml\nnum_epochs: 1\n",
		"a: &a [x,x]\nb: &b [*a,*a]\nc: [*b,*b]\n<<: *a\n",
		`{"model_name_or_path": "\u00e9", "dataset_name": "d", "learning_rate": 1}`,
		"\uFEFF{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"m\"}",
		`{"messages": [{"role": "assistant", "content": "x"}]}` + "\n" + `{"messages": [`,
		"model_name_or_path: m\nstage: pt\ndataset: a,b\n---\n- [",
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	// Code, launcher and TOML seeds, each under its own name.
	for pick, s := range map[uint8]string{
		4: "from trl import SFTTrainer\n\"\"\"x\nt = SFTTrainer(model=\"m\")\n",
		5: `{"cells": [{"cell_type": "code", "source": "m = AutoModel.from_pretrained(\"x\")\nget_peft_model(m)"}]}`,
		6: "openrlhf.cli.train_sft \\\n --pretrain org/m \\\n # --dataset x\n",
		7: "[model]\n[optimizer]\n[training]\nsteps = 1\ninitial_load_path = \"\u00e9\"\n",
	} {
		f.Add(pick, []byte(s))
	}
	for _, row := range []string{
		"positive/axolotl/axolotl-ai-cloud__axolotl@067b021/examples/llama-3/lora-1b.yml",
		"positive/torchtune/pytorch__torchtune@bd2a0fc/recipes/configs/llama3_2/1B_lora_single_device.yaml",
		"positive/peft-adapter-config/RohitBind123__falcon-lora-imdb-sentiment@e6de0d5/adapter_config.json",
		"positive/openai-chat-jsonl/CameronVetter__FineTuning-A-Pirate@405d44c/training_set.jsonl",
	} {
		data, err := os.ReadFile(path.Join(corpusDir, row))
		if err != nil {
			f.Fatal(err)
		}
		var pick uint8
		switch path.Ext(row) {
		case ".json":
			pick = 3
		case ".jsonl":
			pick = 2
		}
		f.Add(pick, data)
	}
	f.Fuzz(func(t *testing.T, pick uint8, data []byte) {
		name := fuzzNames[int(pick)%len(fuzzNames)]
		c, ok := File(name, data)
		if !ok {
			return
		}
		if c.Kind != Finetune && c.Kind != Pretrain {
			t.Errorf("kind %q", c.Kind)
		}
		if c.Framework == "" || c.Signature == "" || c.Path != name {
			t.Errorf("incomplete config %+v", c)
		}
		limit := MaxFile
		if f := formatOf(Ext(name)); f == JSON || f == JSONL {
			limit = MaxHead
		}
		head := data[:min(len(data), limit)]
		// Lines end at LF, CRLF or CR, as the YAML and Python readers
		// count them.
		split := bytes.Split(bytes.ReplaceAll(bytes.ReplaceAll(head, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n")), []byte("\n"))
		lines := len(split)
		pos := c.BaseModelPos
		switch {
		case c.BaseModel == "" && pos.Line != 0:
			t.Errorf("position %v without a base model", pos)
		case c.BaseModel != "" && (pos.Line < 1 || pos.Line > lines || pos.Col < 1 || pos.File != name):
			t.Errorf("base model %q at %v, outside the %d lines read", c.BaseModel, pos, lines)
		case c.BaseModel != "":
			line := split[pos.Line-1]
			if pos.Col > utf8.RuneCount(line)+1 {
				t.Errorf("base model %q at %v, past the end of line %q", c.BaseModel, pos, line)
			}
		}
	})
}
