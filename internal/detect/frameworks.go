package detect

// This file declares the detectors of the frameworks beyond the HF
// ecosystem's own formats (detectors.go). Each follows its framework's
// documented config schema; the order they are tried in is Detectors'.

// shellArg matches a launcher's command-line argument `--name value` or
// `--name=value` (or Hydra's `name=value` when the pattern allows it),
// capturing the value.
func shellArg(name string) *Pattern {
	return pattern(`(?:^|[\s"'])` + name + `(?:[ \t]+|=)["']?([^\s"'\\;|&]+)`)
}

var mlxLM = Detector{
	Name: "mlx-lm",
	Sources: []Source{
		{Repo: "ml-explore/mlx-lm", Commit: "d78bf58e217c904ec282ed8da9b947491f78c022", Path: "mlx_lm/lora.py"},
	},
	Doc: `MLX-LM LoRA/full fine-tuning configs (mlx_lm.lora --config): a model with
train: true and training data (data: a local directory or a hub dataset), usually with
fine_tune_type and lora_parameters. Configs with train: false only test an adapter and
are not matched, nor are mlx_lm merge or convert configs (no data). Launchers
(mlx_lm.lora --train) that pass --model or --data themselves are matched.`,
	Formats: []Format{YAML, Shell},
	Signatures: []Signature{
		{Name: "model+train+data", When: AllOf(Scalar("model"), True("train"), Has("data"))},
		{Name: "model+fine_tune_type+data", When: AllOf(Scalar("model"), Scalar("fine_tune_type"), Has("data"), Not(Present("train")))},
	},
	Launches:  []*Pattern{launchFlag("mlx_lm", `mlx_lm[._]lora`, `-c|--config`)},
	BaseModel: []string{"model"},
	Datasets:  []Pick{{Path: "data"}},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"mlx_lm"}, `\bmlx_lm[._]lora\b`),
			pattern(`--train\b`),
			pattern(`--(?:model|data)[ \t=]`),
		},
		BaseModel: shellArg(`--model`),
		Datasets:  []*Pattern{shellArg(`--data`)},
	},
}

var ludwig = Detector{
	Name: "ludwig",
	Doc: `Ludwig fine-tuning configs: an LLM config (model_type: llm) with a base_model,
input and output features and a trainer that trains (type finetune, dpo, orpo, ...),
or an ECD config whose input feature fine-tunes a pretrained encoder (an
auto_transformer encoder with pretrained_model_name_or_path, trainable or with an
adapter). LLM configs without a trainer, or with trainer type none, only prompt the
model (zero-shot, structured output) and are not matched; ECD models trained from
scratch (image CNNs, tabular hyperopt) are not fine-tuning.`,
	Formats: []Format{YAML},
	Signatures: []Signature{
		{Name: "model_type:llm+trainer", When: AllOf(
			Eq("model_type", "llm"), Scalar("base_model"), Has("input_features"), Has("output_features"),
			Has("trainer"), Not(Eq("trainer.type", "none")),
		)},
		{Name: "pretrained_encoder+trainer", When: AllOf(
			Has("output_features"), Has("trainer"),
			Some("input_features", Scalar("encoder.pretrained_model_name_or_path"),
				AnyOf(True("encoder.trainable"), Has("encoder.adapter"))),
		)},
	},
	BaseModel: []string{"base_model", "input_features.encoder.pretrained_model_name_or_path"},
}

// litgptTrain are the keys of LitGPT's train: section.
var litgptTrain = []string{"train.micro_batch_size", "train.global_batch_size", "train.epochs", "train.max_steps", "train.max_tokens"}

var litgpt = Detector{
	Name: "litgpt",
	Sources: []Source{
		{Repo: "Lightning-AI/litgpt", Commit: "26857050fe3ff627cd714fe92f5838f51a3d5efa", Path: "litgpt/finetune/lora.py"},
		{Repo: "Lightning-AI/litgpt", Commit: "26857050fe3ff627cd714fe92f5838f51a3d5efa", Path: "litgpt/pretrain.py"},
	},
	Doc: `LitGPT configs (litgpt finetune_lora|finetune_full|finetune_adapter|pretrain
--config): a checkpoint_dir (the base model) with data and a train: section
(micro_batch_size, global_batch_size, epochs, ...) is fine-tuning; a model_name with
data and a train: section but no checkpoint_dir is pretraining (from scratch, or
continued from initial_checkpoint_dir: kind pretrain). Generation, chat, serve and
evaluate settings have no train: section and are not matched.`,
	Formats: []Format{YAML, Shell},
	Signatures: []Signature{
		{Name: "checkpoint_dir+data+train", When: AllOf(Scalar("checkpoint_dir"), Has("data"), HasAny(litgptTrain...))},
		{Name: "model_name+data+train", When: AllOf(Scalar("model_name"), Has("data"), HasAny(litgptTrain...),
			AnyOf(Present("initial_checkpoint_dir"), Present("tokenizer_dir"), Present("model_config")))},
	},
	Launches:  []*Pattern{launchFlag("litgpt", `litgpt[ \t]+(?:finetune\w*|pretrain)`, `--config`)},
	BaseModel: []string{"checkpoint_dir", "initial_checkpoint_dir"},
	Datasets: []Pick{{Path: "data", Keys: []string{
		"init_args.json_path", "init_args.data_path", "init_args.data_dir", "class_path",
	}}},
	Pretrain: []Cond{Not(Scalar("checkpoint_dir"))},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"litgpt"}, `\blitgpt[ \t]+(?:finetune\w*|pretrain)[ \t]+(?:[^-\s\\]|--(?:checkpoint_dir|initial_checkpoint_dir|data\.\w+)\b)`),
		},
		BaseModel: pattern(`\blitgpt[ \t]+finetune\w*[ \t]+([^-\s\\]\S*)`),
		Datasets:  []*Pattern{shellArg(`--data\.(?:json_path|data_path)`)},
		Pretrain:  []*Pattern{pattern(`\blitgpt[ \t]+pretrain\b`)},
	},
}

// swiftTraining are ms-swift training arguments: a file naming a model and
// a dataset with none of them samples, infers or evaluates.
var swiftTraining = []string{
	"tuner_type", "train_type", "sft_type", "rlhf_type", "num_train_epochs", "max_steps",
	"learning_rate", "lr", "per_device_train_batch_size", "micro_batch_size", "global_batch_size",
	"gradient_accumulation_steps", "lora_rank", "train_dataset_sample", "train_dataset_mix_ratio",
	"lora_target_modules",
}

var swiftReject = []Cond{
	HasAny("infer_backend", "sampler_engine", "ckpt_dir", "adapters", "eval_dataset_args"),
	AllOf(HasAny("max_new_tokens", "temperature"), Not(HasAny(swiftTraining...))),
}

var msSwift = Detector{
	Name: "ms-swift",
	Sources: []Source{
		{Repo: "modelscope/ms-swift", Commit: "3602360a562313afbf2ef6065fdf61f271a2c5b9", Path: "swift/arguments/sft_args.py"},
		{Repo: "modelscope/ms-swift", Commit: "3602360a562313afbf2ef6065fdf61f271a2c5b9", Path: "swift/arguments/rlhf_args.py"},
	},
	Doc: `ms-swift training arguments (swift sft|pt|rlhf, megatron sft|rlhf --config, or
argument files): the v3 keys model with dataset, the v2 keys model_type (or
model_id_or_path) with dataset, together with a training argument (tuner_type,
train_type, sft_type, rlhf_type, learning_rate, num_train_epochs, ...). The arguments
may stand alone or be a block (args:) of a benchmark or experiment file. Inference,
sampling, export and eval argument files (max_new_tokens, infer_backend,
sampler_engine, ckpt_dir) are not matched. Launchers (swift sft|pt|rlhf, megatron
sft|pt|rlhf) passing --model or --dataset are matched; swift pt is continued
pretraining.`,
	Formats: []Format{YAML, JSON, Shell},
	Signatures: []Signature{
		{Name: "model+dataset", When: AllOf(Scalar("model"), Has("dataset"), HasAny(swiftTraining...))},
		{Name: "model_type+dataset", When: AllOf(AnyOf(Scalar("model_type"), Scalar("model_id_or_path")), Has("dataset"), HasAny(swiftTraining...))},
		{Name: "block.model+dataset", Root: "*", When: AllOf(Scalar("model"), Has("dataset"), HasAny(swiftTraining...))},
		{Name: "block.model_type+dataset", Root: "*", When: AllOf(AnyOf(Scalar("model_type"), Scalar("model_id_or_path")), Has("dataset"), HasAny(swiftTraining...))},
	},
	Reject:    swiftReject,
	Launches:  []*Pattern{launchFlag("swift", `swift[ \t]+(?:sft|pt|rlhf)`, `--config`), launchFlag("megatron", `megatron[ \t]+(?:sft|pt|rlhf)`, `--config`)},
	BaseModel: []string{"model", "model_id_or_path", "model_type"},
	Datasets:  []Pick{{Path: "dataset"}},
	Refs:      backendRefs,
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"swift", "megatron"}, `\b(?:swift|megatron)[ \t]+(?:sft|pt|rlhf)\b`),
			pattern(`--(?:model|model_type|dataset)[ \t=]`),
		},
		BaseModel: shellArg(`--model`),
		Datasets:  []*Pattern{shellArg(`--dataset`)},
		Pretrain:  []*Pattern{pattern(`\b(?:swift|megatron)[ \t]+pt\b`)},
	},
}

var oumi = Detector{
	Name: "oumi",
	Sources: []Source{
		{Repo: "oumi-ai/oumi", Commit: "d8ed07778d7931565798ad45a859cafb54d4fc58", Path: "src/oumi/core/configs/training_config.py"},
	},
	Doc: `Oumi training configs (oumi train -c): model.model_name with training data
(data.train.datasets) and a training: section. Inference (generation, engine),
evaluation (tasks), quantization, synthesis, analysis and deploy configs have no
data.train and are not matched; SkyPilot/oumi launch job files that only run oumi
train -c are launchers pointing at a config, not configs. A model built without
pretrained weights (model.load_pretrained_weights: false) is pretraining from scratch
(kind pretrain).`,
	Formats: []Format{YAML, Shell},
	Signatures: []Signature{{
		Name: "model.model_name+data.train+training",
		When: AllOf(Scalar("model.model_name"), Has("data.train.datasets"), Has("training")),
	}},
	Launches:  []*Pattern{launchFlag("oumi", `oumi[ \t]+(?:distributed[ \t]+\w+[ \t]+-m[ \t]+oumi[ \t]+)?train`, `-c|--config`)},
	BaseModel: []string{"model.model_name"},
	Datasets:  []Pick{{Path: "data.train.datasets", Keys: []string{"dataset_name", "dataset_path"}}},
	Pretrain:  []Cond{Eq("model.load_pretrained_weights", "false")},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"oumi"}, `\boumi\b[^\n]*\btrain\b`),
			pattern(`--(?:model\.model_name|data\.train\.datasets)\b`),
		},
		BaseModel: shellArg(`--model\.model_name`),
	},
}

var nemo = Detector{
	Name: "nemo",
	Sources: []Source{
		{Repo: "NVIDIA/NeMo", Commit: "8cfedd7203462cb251a914e700e5605444277561", Path: "examples/nlp/language_modeling/tuning/conf/megatron_gpt_finetuning_config.yaml"},
		{Repo: "NVIDIA/NeMo", Commit: "8cfedd7203462cb251a914e700e5605444277561", Path: "examples/asr/conf/asr_finetune/speech_to_text_finetune.yaml"},
		{Repo: "NVIDIA/NeMo", Commit: "8cfedd7203462cb251a914e700e5605444277561", Path: "examples/speechlm/conf/salm/salm_llama3-8b_fc_fc_peft.yaml"},
	},
	Doc: `NVIDIA NeMo training configs (Hydra, run by the examples' *_finetuning.py,
*_sft.py and speech_to_text_finetune.py): a trainer with fine-tuning data that starts
from a pretrained model — Megatron SFT/PEFT configs restore model.restore_from_path
and train on model.data.train_ds; ASR/speaker fine-tuning configs set
init_from_nemo_model, init_from_pretrained_model or init_from_ptl_ckpt and train on
model.train_ds. Megatron GPT pretraining (model.data.data_prefix) and BERT
MLM pretraining (model.mask_prob) are kind pretrain. Inference, export, PTQ and
validation configs have no training data (or no exp_manager) and are not matched; a
model trained from scratch on a non-language task is not matched either.`,
	Formats: []Format{YAML},
	Signatures: []Signature{
		// restore_from_path is often null in the file, set on the command
		// line: the key, with training data, is the fine-tuning schema.
		{Name: "restore_from_path+train_ds", When: AllOf(
			Has("trainer"), Has("exp_manager"), AnyOf(Present("model.restore_from_path"), Present("model.pretrained_checkpoint")), Has("model.data.train_ds"),
		)},
		// SpeechLM (SALM) and other multimodal fine-tunes start from named
		// pretrained components.
		{Name: "pretrained_model+train_ds", When: AllOf(
			Has("trainer"), HasAny("data.train_ds", "model.data.train_ds", "model.train_ds"),
			AnyOf(Scalar("model.pretrained_model"), Scalar("model.*.pretrained_model")),
		)},
		{Name: "init_from+train_ds", When: AllOf(
			Has("trainer"), Has("model.train_ds"),
			AnyOf(Present("init_from_nemo_model"), Present("init_from_pretrained_model"), Present("init_from_ptl_ckpt")),
		)},
		{Name: "lm_pretraining", When: AllOf(
			Has("trainer"), Has("exp_manager"), AnyOf(Present("model.data.data_prefix"), Present("model.mask_prob")),
		)},
	},
	BaseModel: []string{
		"model.restore_from_path", "restore_from_path", "init_from_pretrained_model",
		"init_from_nemo_model", "init_from_pretrained_model.*.name",
		"model.llm.pretrained_model", "model.pretrained_model", "model.*.pretrained_model",
	},
	Datasets: []Pick{
		{Path: "model.data.train_ds", Keys: []string{"file_names", "file_path"}},
		{Path: "model.train_ds", Keys: []string{"manifest_filepath", "data_file"}},
		{Path: "data.train_ds", Keys: []string{"manifest_filepath", "input_cfg"}},
		{Path: "model.data.data_prefix"},
	},
	Pretrain: []Cond{AnyOf(Present("model.data.data_prefix"), Present("model.mask_prob"))},
}

var openRLHF = Detector{
	Name: "openrlhf",
	Sources: []Source{
		{Repo: "OpenRLHF/OpenRLHF", Commit: "3c3be6234e0cb353e76bb8019947db9dfe99fca7", Path: "openrlhf/cli/train_sft.py"},
	},
	Doc: `OpenRLHF launchers: shell scripts running an openrlhf.cli.train_* module (sft,
dpo, rm, kto, ppo_ray, prm, kd, ...) that pass the base model (--pretrain,
--model.model_name_or_path) or the data (--dataset, --data.dataset, --prompt_data)
themselves. Scripts that convert checkpoints or start containers do not run a
train_* module and are not matched. --pretrain_mode (SFT loss on raw text) is
continued pretraining (kind pretrain).`,
	Formats: []Format{Shell},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"openrlhf.cli.train_"}, `\bopenrlhf\.cli\.train_\w+`),
			pattern(`--(?:pretrain|model\.model_name_or_path|dataset|data\.dataset|prompt_data|data\.prompt_data)[ \t=]`),
		},
		BaseModel: shellArg(`--(?:pretrain|model\.model_name_or_path)`),
		Datasets:  []*Pattern{shellArg(`--(?:dataset|data\.dataset|prompt_data|data\.prompt_data)`)},
		Pretrain:  []*Pattern{pattern(`--(?:train\.)?pretrain_mode\b`)},
	},
}

var verl = Detector{
	Name: "verl",
	Sources: []Source{
		{Repo: "volcengine/verl", Commit: "b178a3cd56f58b2d502255daba591e92833930a7", Path: "verl/trainer/config/ppo_trainer.yaml"},
		{Repo: "volcengine/verl", Commit: "b178a3cd56f58b2d502255daba591e92833930a7", Path: "verl/trainer/config/sft_trainer.yaml"},
	},
	Doc: `verl trainer configs (Hydra): RL post-training (PPO, GRPO, ...) with an
actor_rollout_ref section and data, algorithm or trainer settings, and SFT configs
(fsdp_sft_trainer) whose model.partial_pretrain is the base model. Standalone
generation configs (a top-level rollout without actor_rollout_ref), reward-manager
and tool configs are not matched. Launchers (python -m verl.trainer.main_ppo or
fsdp_sft_trainer) that set data.train_files or the model path as overrides are
matched.`,
	Formats: []Format{YAML, Shell},
	Signatures: []Signature{
		{Name: "actor_rollout_ref", When: AllOf(Has("actor_rollout_ref"), HasAny("data", "algorithm", "trainer"))},
		{Name: "model.partial_pretrain+data", When: AllOf(Scalar("model.partial_pretrain"), Has("data"))},
	},
	BaseModel: []string{"actor_rollout_ref.model.path", "model.partial_pretrain"},
	Datasets:  []Pick{{Path: "data.train_files"}},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"verl.trainer."}, `\bverl\.trainer\.(?:main_\w+|fsdp_sft_trainer|sft_trainer)\b`),
			pattern(`\b(?:data\.train_files|actor_rollout_ref\.model\.path|model\.partial_pretrain)=`),
		},
		BaseModel: shellArg(`(?:actor_rollout_ref\.model\.path|model\.partial_pretrain)`),
		Datasets:  []*Pattern{shellArg(`data\.train_files`)},
	},
}

// levanterTrainer are keys of levanter's TrainerConfig that other trainers
// (Lightning's max_steps, max_epochs) do not use.
var levanterTrainer = []string{"trainer.num_train_steps", "trainer.per_device_parallelism", "trainer.mp"}

var levanter = Detector{
	Name: "levanter",
	Sources: []Source{
		{Repo: "stanford-crfm/levanter", Commit: "9263f81e8b453241332c2c0b2d2001bfb2d2241c", Path: "src/levanter/main/sft.py"},
		{Repo: "stanford-crfm/levanter", Commit: "9263f81e8b453241332c2c0b2d2001bfb2d2241c", Path: "src/levanter/main/train_lm.py"},
	},
	Doc: `levanter training configs (levanter.main.train_lm, lora_lm, sft): a trainer
with levanter's own keys (num_train_steps, per_device_parallelism, mp), an optimizer
and data (data, supervised_data or chat_train_urls). Supervised or chat data and LoRA
(lora:, peft_save_path) are fine-tuning; otherwise it is language-model pretraining
(kind pretrain), from scratch or continued from initialize_from_hf. Eval-harness,
export and data-cache configs have no optimizer or no trainer and are not matched.`,
	Formats: []Format{YAML},
	Signatures: []Signature{{
		Name: "trainer+optimizer+data",
		When: AllOf(Has("trainer"), Has("optimizer"), HasAny("data", "supervised_data", "chat_train_urls"), HasAny(levanterTrainer...)),
	}},
	BaseModel: []string{"model_name_or_path", "initialize_from_hf", "initialize_from_checkpoint_path"},
	Datasets: []Pick{
		{Path: "supervised_data", Keys: []string{"train_urls", "cache_dir"}},
		{Path: "chat_train_urls"},
		{Path: "data", Keys: []string{"id", "train_urls", "cache_dir"}},
	},
	// Positive evidence: language-modelling data (data:, LmDataConfig) and
	// none of SFTConfig's supervised or chat data, nor LoRA.
	Pretrain: []Cond{AllOf(
		Has("data"),
		Not(HasAny("supervised_data", "chat_train_urls", "lora", "peft_save_path")),
		Not(Contains("dataset_type", "chat", "supervised")),
	)},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)^trainer:`),
			pattern(`(?m)^optimizer:`),
			pattern(`(?m)^[ \t]+(?:num_train_steps|per_device_parallelism|mp):`),
			pattern(`(?m)^(?:data|supervised_data|chat_train_urls):`),
		},
		BaseModel:   pattern(`(?m)^(?:model_name_or_path|initialize_from_hf):[ \t]*["']?([^\s"'#]+/[^\s"'#]+)`),
		Pretrain:    []*Pattern{pattern(`(?m)^data:`)},
		NotPretrain: []*Pattern{pattern(`(?m)^(?:supervised_data|chat_train_urls|lora|peft_save_path):|^dataset_type:[ \t]*["']?(?:chat|supervised)`)},
	},
}

var autotrain = Detector{
	Name: "autotrain",
	Doc: `Hugging Face AutoTrain Advanced configs (autotrain --config): a task (llm-sft,
llm-dpo, llm-orpo, text_classification, seq2seq, vlm:vqa, ...), a base_model, data
and params. Launchers (autotrain llm --train, autotrain text-classification ...) that
pass --model or --data-path themselves are matched.`,
	Formats: []Format{YAML, Shell},
	Signatures: []Signature{{
		Name: "task+base_model+data+params",
		When: AllOf(Scalar("task"), Scalar("base_model"), Has("data"), Has("params")),
	}},
	Launches:  []*Pattern{launchFlag("autotrain", `autotrain`, `--config`)},
	BaseModel: []string{"base_model"},
	Datasets:  []Pick{{Path: "data", Keys: []string{"path"}}},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"autotrain"}, `\bautotrain[ \t]+(?:llm|seq2seq|vlm|text-classification|text-regression|token-classification|image-classification|extractive-qa|sentence-transformers)\b`),
			pattern(`--(?:model|data[-_]path)[ \t=]`),
		},
		BaseModel: shellArg(`--model`),
		Datasets:  []*Pattern{shellArg(`--data[-_]path`)},
	},
}

var h2oLLMStudio = Detector{
	Name: "h2o-llmstudio",
	Doc: `H2O LLM Studio experiment configs (train.py -Y cfg.yaml): an llm_backbone (the
base model), a problem_type (text_causal_language_modeling,
text_causal_classification_modeling, text_sequence_to_sequence_modeling, ...), a
dataset section and a training section.`,
	Formats: []Format{YAML},
	Signatures: []Signature{{
		Name: "llm_backbone+problem_type+training",
		When: AllOf(Scalar("llm_backbone"), Scalar("problem_type"), Has("training"), Has("dataset")),
	}},
	BaseModel: []string{"llm_backbone"},
	Datasets:  []Pick{{Path: "dataset", Keys: []string{"train_dataframe"}}},
}

var mistralFinetune = Detector{
	Name: "mistral-finetune",
	Sources: []Source{
		{Repo: "mistralai/mistral-finetune", Commit: "1943535d8e6d46b2eb47de8b81df07fec3ca5c15", Path: "finetune/args.py"},
		{Repo: "mistralai/mistral-finetune", Commit: "1943535d8e6d46b2eb47de8b81df07fec3ca5c15", Path: "example/7B.yaml"},
	},
	Doc: `mistral-finetune training configs (torchrun -m train cfg.yaml):
model_id_or_path with data (data.instruct_data for instruction data, data.data for
raw text) and a run_dir, lora section or max_steps. A run on data.data alone, without
instruct_data, is continued pretraining on raw text (kind pretrain), LoRA included.
A template whose model and data are still empty (example/7B.yaml) is a config too.`,
	Formats: []Format{YAML},
	// TrainArgs (finetune/args.py) requires data, model_id_or_path and
	// run_dir; the shipped example leaves them empty to fill in, so their
	// presence, not their value, is the schema.
	Signatures: []Signature{{
		Name: "model_id_or_path+data",
		When: AllOf(Present("model_id_or_path"), AnyOf(Present("data.instruct_data"), Present("data.data")),
			Present("run_dir"), HasAny("lora", "max_steps", "optim", "seq_len")),
	}},
	Launches:  []*Pattern{launch("train", `-m[ \t]+train`)},
	BaseModel: []string{"model_id_or_path"},
	Datasets: []Pick{
		{Path: "data.instruct_data", Split: ","},
		{Path: "data.data", Split: ","},
	},
	Pretrain: []Cond{AllOf(Has("data.data"), Not(Has("data.instruct_data")))},
}

// neox reports whether a GPT-NeoX key is set in either of the spellings
// NeoX accepts (num-layers and num_layers).
func neox(key string) Cond {
	alt := []byte(key)
	for i, c := range alt {
		if c == '_' {
			alt[i] = '-'
		}
	}
	return HasAny(key, string(alt))
}

var gptNeoX = Detector{
	Name: "gpt-neox",
	Doc: `EleutherAI GPT-NeoX training configs (deepy.py train.py cfg.yml): a model shape
(num_layers, seq_length) with train_iters and a batch size, in either spelling
(num-layers or num_layers). finetune: true loads the checkpoint named by load and
fine-tunes it; without it the run is language-model pretraining from scratch (kind
pretrain). Setup files (data paths, vocab, save and log directories only) have no
model shape and are not matched.`,
	Formats: []Format{YAML, JSON},
	Signatures: []Signature{{
		Name: "num_layers+train_iters",
		When: AllOf(neox("num_layers"), neox("seq_length"), neox("train_iters"),
			AnyOf(neox("train_micro_batch_size_per_gpu"), neox("train_batch_size"))),
	}},
	BaseModel: []string{"load"},
	Datasets: []Pick{
		{Path: "train_data_paths"}, {Path: "train-data-paths"},
		{Path: "data_path"}, {Path: "data-path"},
	},
	Pretrain: []Cond{Not(True("finetune"))},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`["']num[-_]layers["']\s*:`),
			pattern(`["']seq[-_]length["']\s*:`),
			pattern(`["']train[-_]iters["']\s*:`),
		},
		BaseModel:   pattern(`["']load["']\s*:\s*["']([^"']+)["']`),
		Datasets:    []*Pattern{pattern(`["'](?:data[-_]path|train[-_]data[-_]paths)["']\s*:\s*\[?\s*["']([^"']+)["']`)},
		Pretrain:    []*Pattern{pattern(`["']train[-_]iters["']`)},
		NotPretrain: []*Pattern{pattern(`["']finetune["']\s*:\s*(?i:true)`)},
	},
}

var azureMLFinetune = Detector{
	Name: "azureml-finetune",
	Doc: `Azure Machine Learning fine-tuning jobs (az ml job create -f job.yml): type:
finetuning with a model (a registry model path) and training_data. Command jobs that
train a network from scratch and online deployments have another type and are not
matched.`,
	Formats: []Format{YAML},
	Signatures: []Signature{{
		Name: "type:finetuning+model+training_data",
		When: AllOf(Eq("type", "finetuning"), Has("model"), Has("training_data")),
	}},
	BaseModel: []string{"model.path", "model"},
	Datasets:  []Pick{{Path: "training_data", Keys: []string{"path"}}},
}

// kubeflowContainers is where a Kubeflow TrainingRuntime's containers are.
const kubeflowContainers = "spec.template.spec.replicatedJobs.template.spec.template.spec.containers"

var kubeflowTrainer = Detector{
	Name: "kubeflow-trainer",
	Doc: `Kubeflow Trainer (v2) launchers that name the model and data themselves: a
TrainingRuntime or ClusterTrainingRuntime with a model-initializer or
dataset-initializer job and a fine-tuning command (tune run ... full_finetune_*,
lora_finetune_*), and a TrainJob whose spec.initializer names the model or dataset
storageUri. Runtimes for plain distributed training (torch-distributed, xgboost) and
TrainJobs that only reference a runtime are not matched. Runtimes are usually Helm
templates and are then matched by their text.`,
	Formats: []Format{YAML},
	Signatures: []Signature{
		{Name: "runtime+initializer", When: AllOf(
			Eq("kind", "TrainingRuntime", "ClusterTrainingRuntime"),
			Some("spec.template.spec.replicatedJobs", Eq("name", "model-initializer", "dataset-initializer")),
			Contains(kubeflowContainers+".command", "finetune"),
		)},
		{Name: "trainjob+initializer", When: AllOf(
			Eq("kind", "TrainJob"),
			HasAny("spec.initializer.model.storageUri", "spec.initializer.dataset.storageUri"),
		)},
	},
	BaseModel: []string{"spec.initializer.model.storageUri"},
	Datasets:  []Pick{{Path: "spec.initializer.dataset.storageUri"}},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)^kind:[ \t]*(?:Cluster)?TrainingRuntime\b`),
			pattern(`\b(?:model|dataset)-initializer\b`),
			pattern(`(?m)^[ \t]*-[ \t]*\S*finetune\S*`),
		},
		BaseModel: pattern(`(?s)name:[ \t]*model-initializer\b.*?STORAGE_URI.*?value:[ \t]*["']?([^\s"']+)`),
		Datasets:  []*Pattern{pattern(`(?s)name:[ \t]*dataset-initializer\b.*?STORAGE_URI.*?value:[ \t]*["']?([^\s"']+)`)},
	},
}

// sweepModel are the sweep parameters that name a base model; a sweep
// naming one of them sweeps a fine-tuning script's hyperparameters.
var sweepModel = []string{
	"parameters.model_name_or_path", "parameters.base_model", "parameters.pretrained_model_name_or_path",
}

var wandbSweep = Detector{
	Name: "wandb-sweep",
	Doc: `Weights & Biases sweeps of fine-tuning scripts (wandb sweep sweep.yaml): a
method (grid, random, bayes), a program or command, and parameters that name the base
model (model_name_or_path, base_model, pretrained_model_name_or_path) or adapter
hyperparameters (lora_r, lora_alpha), or a program that is a fine-tuning script (its
name says finetune, sft, lora or dpo). Sweeps of other training scripts are not
matched.`,
	Formats: []Format{YAML},
	Signatures: []Signature{{
		Name: "method+parameters",
		When: AllOf(
			Eq("method", "grid", "random", "bayes"), Has("parameters"), HasAny("program", "command"),
			AnyOf(
				HasAny(sweepModel...),
				HasAny("parameters.lora_r", "parameters.lora_alpha", "parameters.lora_rank"),
				Contains("program", "finetune", "fine_tune", "fine-tune", "sft", "lora", "dpo"),
			),
		),
	}},
	BaseModel: []string{
		"parameters.model_name_or_path.value", "parameters.model_name_or_path.values",
		"parameters.base_model.value", "parameters.base_model.values",
		"parameters.pretrained_model_name_or_path.value",
	},
	Datasets: []Pick{
		{Path: "parameters.dataset_name", Keys: []string{"value", "values"}},
		{Path: "parameters.train_file", Keys: []string{"value", "values"}},
	},
}

var torchtitan = Detector{
	Name: "torchtitan",
	Doc: `torchtitan training configs (TOML, run_train.sh --job.config_file): [model],
[optimizer] and [training] sections with training steps. torchtitan trains language
models on raw text (c4 and the like), from scratch or from an initial checkpoint
([checkpoint] initial_load_path): every such config is kind pretrain. TOML is matched
by text, line-anchored.`,
	Formats: []Format{TOML},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)^\[model\]`),
			pattern(`(?m)^\[optimizer\]`),
			pattern(`(?m)^\[training\]`),
			pattern(`(?m)^steps[ \t]*=`),
		},
		BaseModel: pattern(`(?m)^initial_load_path[ \t]*=[ \t]*["']([^"']+)["']`),
		Datasets:  []*Pattern{pattern(`(?m)^dataset(?:_path)?[ \t]*=[ \t]*["']([^"']+)["']`)},
		Pretrain:  []*Pattern{pattern(`(?m)^\[training\]`)},
	},
}

var vertexAI = Detector{
	Name: "vertex-ai",
	Doc: `Google Vertex AI tuning jobs: a tuningJobs.create request body committed as a
file (baseModel with supervisedTuningSpec, preferenceOptimizationSpec or
distillationSpec naming a trainingDatasetUri), and in code vertexai.tuning sft.train,
the legacy tune_model and google-genai client.tunings.tune calls. Prediction
requests and endpoint configs name no training dataset and are not matched.`,
	Formats: []Format{YAML, JSON, Python, Notebook},
	Signatures: []Signature{{
		Name: "baseModel+trainingDatasetUri",
		When: AllOf(Scalar("baseModel"), HasAny(
			"supervisedTuningSpec.trainingDatasetUri",
			"preferenceOptimizationSpec.trainingDatasetUri",
			"distillationSpec.trainingDatasetUri",
		)),
	}},
	BaseModel: []string{"baseModel"},
	Datasets: []Pick{
		{Path: "supervisedTuningSpec.trainingDatasetUri"},
		{Path: "preferenceOptimizationSpec.trainingDatasetUri"},
		{Path: "distillationSpec.trainingDatasetUri"},
	},
	Code: []CodeSignature{
		{
			Name:      "sft.train",
			Call:      pattern(`\bsft\.(?:train|preview_train)\(`),
			Words:     []string{"sft"},
			Also:      []*Pattern{pattern(`\bvertexai\b`)},
			BaseModel: []*Pattern{codeKwarg(`source_model`)},
			Datasets:  []*Pattern{codeKwarg(`train_dataset`)},
		},
		{
			Name:      "tunings.tune",
			Call:      pattern(`\.tunings\.tune\(`),
			Words:     []string{"tunings"},
			BaseModel: []*Pattern{codeKwarg(`base_model`)},
			Datasets:  []*Pattern{codeKwarg(`gcs_uri`)},
		},
		{
			Name:      "tune_model",
			Call:      pattern(`\.tune_model\(`),
			Words:     []string{"tune_model"},
			Also:      []*Pattern{pattern(`\bvertexai\b`)},
			BaseModel: []*Pattern{pattern(`\.from_pretrained\(\s*["']([^"'\s]+)["']`)},
			Datasets:  []*Pattern{codeKwarg(`training_data`)},
		},
	},
}

var bedrock = Detector{
	Name: "bedrock",
	Doc: `Amazon Bedrock model customization jobs: a CreateModelCustomizationJob request
committed as a file (baseModelIdentifier with trainingDataConfig), and in code the
boto3 create_model_customization_job call. customizationType CONTINUED_PRE_TRAINING
is continued pretraining (kind pretrain); FINE_TUNING and DISTILLATION are
fine-tuning. Invocation requests and provisioned-throughput configs are not matched.`,
	Formats: []Format{YAML, JSON, Python, Notebook},
	Signatures: []Signature{{
		Name: "baseModelIdentifier+trainingDataConfig",
		When: AllOf(Scalar("baseModelIdentifier"), Has("trainingDataConfig")),
	}},
	BaseModel: []string{"baseModelIdentifier"},
	Datasets:  []Pick{{Path: "trainingDataConfig", Keys: []string{"s3Uri"}}},
	Pretrain:  []Cond{Eq("customizationType", "CONTINUED_PRE_TRAINING")},
	Code: []CodeSignature{{
		Name:      "create_model_customization_job",
		Call:      pattern(`\.create_model_customization_job\(`),
		Words:     []string{"create_model_customization_job"},
		BaseModel: []*Pattern{codeKwarg(`baseModelIdentifier`)},
		Datasets:  []*Pattern{pattern(`["']?s3Uri["']?\s*[:=]\s*["']([^"'\s]+)["']`)},
		Pretrain:  []*Pattern{pattern(`customizationType\s*=\s*["']CONTINUED_PRE_TRAINING["']`)},
	}},
}
