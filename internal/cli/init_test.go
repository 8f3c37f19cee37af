package cli

import "testing"

// TestTaskName: the task is the config's directory, with its parent's name
// first when the directory names a training stage or a place for configs.
func TestTaskName(t *testing.T) {
	for p, want := range map[string]string{
		"training/contract-risk/axolotl.yaml":          "contract-risk",
		"recipes/smollm2/sft/config.yaml":              "smollm2-sft",
		"recipes/zephyr-7b-beta/dpo/config_qlora.yaml": "zephyr-7b-beta-dpo",
		"configs/sft/x.yaml":                           "sft",
		"train.yaml":                                   "train",
		"examples/Llama 3/LoRA/run.yaml":               "llama-3-lora",
		"Modelfile":                                    "modelfile",
		"training/Support_Bot/finetune.json":           "support-bot",
	} {
		if got := taskName(p); got != want {
			t.Errorf("taskName(%q) = %q, want %q", p, got, want)
		}
	}
}
