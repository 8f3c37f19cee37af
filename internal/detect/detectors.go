package detect

// Detectors is every built-in detector, in the order they are tried: the
// first whose signature holds names the framework. Formats with their own
// file shape (PEFT adapters, OpenAI jobs, chat JSONL) come first; LLaMA-
// Factory precedes TRL because both name the model model_name_or_path and
// LLaMA-Factory's stage/finetuning_type keys are the more specific; ms-swift,
// whose model+dataset keys are the most generic, comes after every
// framework with keys of its own. In code, the earliest call in the file
// wins, whatever the detector's place here.
//
// It is the one place detectors are declared; a test rejects one without a
// Name, a Doc or a signature, and docs/detectors.md is generated from it.
var Detectors = []Detector{
	peft,
	openAIFinetune,
	chatJSONL,
	vertexAI,
	bedrock,
	azureMLFinetune,
	kubeflowTrainer,
	wandbSweep,
	torchtune,
	llamaFactory,
	axolotl,
	trl,
	mlxLM,
	ludwig,
	litgpt,
	oumi,
	nemo,
	verl,
	levanter,
	autotrain,
	h2oLLMStudio,
	mistralFinetune,
	gptNeoX,
	torchtitan,
	msSwift,
	openRLHF,
	unsloth,
	transformers,
}

// hfTrainingArgs are transformers TrainingArguments (and TRL trainer
// config) fields only a training run sets; an eval or generation config
// with the same model and dataset keys has none of them.
var hfTrainingArgs = []string{
	"learning_rate", "num_train_epochs", "max_steps", "per_device_train_batch_size",
	"gradient_accumulation_steps", "lr_scheduler_type", "warmup_ratio", "warmup_steps",
	"optim", "beta", "use_peft", "lora_r", "packing",
}

// fineTuneSignal holds when a config trains with anything but a plain
// language-modelling objective: RL or preference keys (DPO, ORPO, KTO, PPO,
// GRPO and the like), reward functions or models, a chat template, a
// supervised stage. Such a run is fine-tuning whatever else the file says
// (SPEC 2: pretrain needs positive evidence and no fine-tuning signal).
var fineTuneSignal = AnyOf(
	Named("rl"), Named("rlhf_type"), Named("reward_funcs"), Named("trl.reward_funcs"),
	// A plugin's section (axolotl's hatchery:, trl:) carries the RL keys of
	// runs its backend executes.
	Named("*.reward_funcs"), Named("*.reward_model"), Named("*.num_generations"),
	Named("reward_model"), Named("reward_model_path"), Named("reward_model_name_or_path"),
	Named("ref_model"), Named("ref_model_name_or_path"), Named("chat_template"),
	Named("beta"), Named("trl.beta"), Named("dpo_beta"), Named("pref_beta"), Named("pref_loss"),
	Named("orpo_alpha"), Named("cpo_alpha"), Named("simpo_gamma"), Named("kto_desirable_weight"),
	Named("num_generations"), Named("trl.num_generations"), Named("ppo_epochs"),
	Eq("stage", "sft", "rm", "ppo", "dpo", "kto"),
	Some("datasets", Named("chat_template")),
	Some("datasets", Eq("type", "chat_template", "sharegpt", "alpaca", "chatml", "input_output", "completion_only")),
	Some("datasets", Prefix("type", "chat_template", "sharegpt", "alpaca", "chatml", "dpo", "orpo", "kto", "grpo", "bradley_terry", "stepwise")),
)

// textFineTuneSignal finds the same signals in a file that did not parse.
var textFineTuneSignal = pattern(`(?m)^[ \t]*-?[ \t]*(?:rl|rlhf_type|reward_funcs|reward_model\w*|ref_model\w*|chat_template|beta|dpo_beta|pref_beta|orpo_alpha|num_generations)[ \t]*:[ \t]*[^\s#]|^[ \t]*-?[ \t]*type:[ \t]*["']?(?:chat_template|sharegpt|alpaca|chatml|dpo|orpo|kto|grpo)`)

// backendRefs are the keys under which training configs name DeepSpeed,
// FSDP and accelerate files.
var backendRefs = []string{"deepspeed", "fsdp_config", "accelerate_config", "accelerate_config_file"}

// backendRefText finds the same references in a file that did not parse.
var backendRefText = yamlValue(`(?:deepspeed|fsdp_config|accelerate_config(?:_file)?)`)

// textScalar is a plain or quoted scalar in a file that did not parse: not
// an anchor, alias, tag, flow collection, block indicator or template.
const textScalar = `[^\s"'#{}\[\]&*!|>,][^\s"'#,{}\[\]]*`

// yamlValue matches a line "key: value" whose key matches the pattern
// (anchored at the line start, so indentation is part of the pattern),
// capturing the value.
func yamlValue(key string) *Pattern {
	return pattern(`(?m)^` + key + `:[ \t]*["']?(` + textScalar + `)`)
}

var peft = Detector{
	Name: "peft",
	Doc: `PEFT adapter_config.json: the file save_pretrained writes beside adapter
weights, naming the adapter method (peft_type: LORA, IA3, PREFIX_TUNING, ...) and the
base model (base_model_name_or_path). It does not configure a run, but committing it
commits the product of a fine-tune, so it is gated like one. The base model's
config.json, generation_config.json and tokenizer_config.json have no peft_type and
are not matched. In Python and notebooks, a get_peft_model( call in code that also
trains (a trainer, .train(), a backward pass or an optimiser step) is matched;
get_peft_model alone (adapter initialisation, conversion, benchmarks) is not.`,
	Formats: []Format{JSON, Python, Notebook},
	Code:    peftCode,
	Signatures: []Signature{{
		Name: "peft_type+base_model_name_or_path",
		When: AllOf(Scalar("peft_type"),
			AnyOf(Present("base_model_name_or_path"), Present("task_type"), Present("target_modules"))),
	}},
	BaseModel: []string{"base_model_name_or_path"},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`"peft_type"\s*:\s*"`),
			pattern(`"(?:base_model_name_or_path|task_type|target_modules)"\s*:`),
		},
		BaseModel: pattern(`"base_model_name_or_path"\s*:\s*"([^"\\]+)"`),
	},
}

// openAIHyper holds hyperparameters only OpenAI's fine-tuning API takes:
// learning_rate_multiplier and prompt_loss_weight, at the top level (legacy
// and app-config style) or under hyperparameters, or a
// method.<supervised|dpo|reinforcement>.hyperparameters block. n_epochs
// alone is not enough: every training loop has epochs.
var openAIHyper = AnyOf(
	HasAny("learning_rate_multiplier", "prompt_loss_weight"),
	Has("hyperparameters.learning_rate_multiplier"),
	Has("method.*.hyperparameters"),
)

var openAIFinetune = Detector{
	Name: "openai-finetune",
	Doc: `OpenAI fine-tuning job specs, as committed for client.fine_tuning.jobs.create or
the CLI: a model with a training_file, or a model with the API's own hyperparameters
(learning_rate_multiplier, prompt_loss_weight,
method.supervised|dpo|reinforcement.hyperparameters). The spec may stand alone or be a
block (fine_tuning:, openai_finetune:) of a larger application config. Chat-completion
settings (model, temperature, max_tokens), openai/evals registry entries and Batch API
requests name no training file and are not matched. In Python and notebooks, the
client.fine_tuning.jobs.create call (and the legacy FineTuningJob.create) is matched.`,
	Formats: []Format{YAML, JSON, Python, Notebook},
	Code:    openAICode,
	Signatures: []Signature{
		{Name: "training_file+model", When: AllOf(Scalar("training_file"), Scalar("model"))},
		{Name: "model+hyperparameters", When: AllOf(Scalar("model"), openAIHyper)},
		{Name: "block.training_file+model", Root: "*", When: AllOf(Scalar("training_file"), Scalar("model"))},
		{Name: "block.model+hyperparameters", Root: "*", When: AllOf(Scalar("model"), openAIHyper)},
	},
	BaseModel: []string{"model"},
	Datasets:  []Pick{{Path: "training_file"}},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)(?:^[ \t]*|")training_file"?[ \t]*:`),
			pattern(`(?m)(?:^[ \t]*|")model"?[ \t]*:`),
		},
		BaseModel: pattern(`(?m)(?:^[ \t]*|")model"?[ \t]*:[ \t]*["']?(` + textScalar + `)`),
		Datasets:  []*Pattern{pattern(`(?m)(?:^[ \t]*|")training_file"?[ \t]*:[ \t]*["']?(` + textScalar + `)`)},
	},
}

var chatJSONL = Detector{
	Name: "chat-jsonl",
	Doc: `Chat-format training data: JSONL whose every sampled line holds a messages
list of {role, content} objects with at least one assistant turn (the OpenAI, TRL and
axolotl chat_template format). Adding training data is a fine-tuning change. OpenAI
Batch API request files (custom_id, method, url, body) nest their messages in body and
are not matched; {"text"} and {"prompt","completion"} JSONL are data only when a
detected config names them.`,
	Formats: []Format{JSONL},
	Signatures: []Signature{{
		Name: "messages",
		When: AllOf(
			List("messages"),
			Each("messages", Scalar("role"), AnyOf(Present("content"), Has("tool_calls"), Has("function_call"))),
			Some("messages", Eq("role", "assistant")),
		),
	}},
	// A Batch API request (method, url, body) is rejected; a custom_id
	// alone is any line's extra key and decides nothing.
	Reject: []Cond{AllOf(Has("body"), Has("url"), Has("method"))},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)^\{.*"messages"\s*:\s*\[`),
			pattern(`"role"\s*:\s*"assistant"`),
		},
		None: []*Pattern{pattern(`"url"\s*:\s*"/v1/`)},
	},
}

// torchtuneRaw are torchtune dataset builders over raw text, trained with a
// plain next-token objective.
var torchtuneRaw = []string{"text_completion_dataset", "cnn_dailymail_articles_dataset"}

var torchtune = Detector{
	Name: "torchtune",
	Sources: []Source{
		{Repo: "pytorch/torchtune", Commit: "bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1", Path: "recipes/configs/llama3_1/8B_lora.yaml"},
		{Repo: "pytorch/torchtune", Commit: "bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1", Path: "recipes/lora_finetune_single_device.py"},
	},
	Doc: `torchtune recipe configs: components (_component_: torchtune.models.*,
torchtune.training.*Checkpointer) with a tokenizer, a dataset (or datasets), an
optimizer and a checkpointer. The base model is the checkpointer's checkpoint_dir (else
the tokenizer path). Generation, evaluation and quantization configs share the model,
tokenizer and checkpointer but have no dataset and optimizer, and are not matched. A
recipe whose every dataset is raw text (text_completion_dataset) trained without an
RLHF policy or loss is continued pretraining (kind pretrain). Launchers (tune run
<recipe> --config c) are matched only when they set the checkpoint, tokenizer or
dataset themselves as overrides.`,
	Formats: []Format{YAML, Shell},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"tune"}, `\btune[ \t]+run\b[^\n]*\b\w*(?:finetune|lora|dora|qlora|dpo|ppo|qat|distill|kd)\w*`),
			pattern(`\b(?:checkpointer\.checkpoint_dir|tokenizer\.path|dataset\.source|dataset\.data_files|dataset)=`),
		},
		BaseModel: shellArg(`checkpointer\.checkpoint_dir`),
		Datasets:  []*Pattern{shellArg(`dataset\.(?:source|data_files)`)},
	},
	Signatures: []Signature{{
		Name: "model+dataset+optimizer",
		When: AllOf(
			AnyOf(
				Prefix("model._component_", "torchtune."),
				Prefix("policy_model._component_", "torchtune."),
				Prefix("checkpointer._component_", "torchtune."),
			),
			Has("tokenizer"),
			HasAny("dataset", "datasets"),
			Has("optimizer"),
			Has("checkpointer"),
		),
	}},
	Launches:  []*Pattern{launchFlag("tune", `tune[ \t]+run`, `--config`)},
	BaseModel: []string{"checkpointer.checkpoint_dir", "tokenizer.path"},
	Datasets: []Pick{
		{Path: "dataset", Keys: []string{"data_files", "source", "_component_"}},
		{Path: "datasets", Keys: []string{"data_files", "source", "_component_"}},
	},
	Pretrain: []Cond{AllOf(
		AnyOf(
			Each("dataset", Suffix("_component_", torchtuneRaw...)),
			Each("datasets", Suffix("_component_", torchtuneRaw...)),
		),
		Not(HasAny("policy_model", "ref_policy_checkpointer", "reward_and_value_model")),
		Not(Contains("loss._component_", "rlhf", "DPO", "PPO")),
	)},
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`_component_:[ \t]*["']?torchtune\.`),
			pattern(`(?m)^datasets?:`),
			pattern(`(?m)^optimizer:`),
			pattern(`(?m)^tokenizer:`),
		},
		BaseModel: yamlValue(`[ \t]+checkpoint_dir`),
		Datasets:  []*Pattern{yamlValue(`[ \t]+source`)},
	},
}

// lfTraining are LLaMA-Factory arguments only a training run sets.
var lfTraining = append([]string{"lora_rank", "lora_target", "num_train_epochs", "pref_beta", "freeze_trainable_layers"}, hfTrainingArgs...)

var llamaFactory = Detector{
	Name: "llama-factory",
	Sources: []Source{
		{Repo: "hiyouga/LLaMA-Factory", Commit: "ff6d4d12eeb035d6ce06805a5733dd7b29f2ac30", Path: "src/llamafactory/hparams/model_args.py"},
		{Repo: "hiyouga/LLaMA-Factory", Commit: "ff6d4d12eeb035d6ce06805a5733dd7b29f2ac30", Path: "src/llamafactory/hparams/finetuning_args.py"},
		{Repo: "hiyouga/LLaMA-Factory", Commit: "ff6d4d12eeb035d6ce06805a5733dd7b29f2ac30", Path: "src/llamafactory/hparams/data_args.py"},
	},
	Doc: `LLaMA-Factory training configs (llamafactory-cli train). The v0.8 and later
schema names model_name_or_path, a training stage (stage: sft, pt, rm, ppo, dpo, kto)
or finetuning_type (lora, freeze, full) and the training dataset (dataset: a,b); the
v1 schema names model and train_dataset. Inference (infer_backend), export and merge
(export_dir) and predict-only (do_predict without do_train, eval_dataset only) configs
share the model keys and are not matched. stage: pt is continued pretraining on raw
text (kind pretrain). Launchers (llamafactory-cli train, src/train.py) that pass
model_name_or_path themselves are matched.`,
	Formats: []Format{YAML, JSON, Shell},
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"llamafactory-cli", "src/train"}, `\b(?:llamafactory-cli[ \t]+train|src/train(?:_bash)?\.py)\b`),
			pattern(`(?:--|\s)model_name_or_path[ \t=]`),
		},
		BaseModel: shellArg(`(?:--)?model_name_or_path`),
		Datasets:  []*Pattern{shellArg(`(?:--)?dataset`)},
		Pretrain:  []*Pattern{pattern(`(?:--|\s)stage[ \t=]+pt\b`)},
	},
	Signatures: []Signature{
		{Name: "model_name_or_path+stage+dataset", When: AllOf(Scalar("model_name_or_path"), Scalar("stage"), Has("dataset"))},
		{Name: "model_name_or_path+finetuning_type+dataset", When: AllOf(Scalar("model_name_or_path"), Scalar("finetuning_type"), Has("dataset"))},
		{Name: "model+train_dataset", When: AllOf(Scalar("model"), Has("train_dataset"))},
	},
	// infer_backend and export_dir are ModelArguments a training run
	// parses too: they make a look-alike only in a file that trains on
	// nothing (no do_train, no training argument).
	Reject: []Cond{
		AllOf(HasAny("infer_backend", "export_dir"), Not(True("do_train")), Not(HasAny(lfTraining...))),
		Eq("do_train", "false"),
		AllOf(True("do_predict"), Not(True("do_train")), Not(HasAny(lfTraining...))),
	},
	Launches:  []*Pattern{launch("llamafactory-cli", `llamafactory-cli[ \t]+train`), launch("src/train.py", `src/train\.py`)},
	BaseModel: []string{"model_name_or_path", "model"},
	Datasets: []Pick{
		{Path: "dataset", Split: ","},
		{Path: "train_dataset", Split: ","},
	},
	Pretrain: []Cond{Eq("stage", "pt")},
	Refs:     backendRefs,
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)^model_name_or_path:`),
			pattern(`(?m)^(?:stage|finetuning_type):`),
			pattern(`(?m)^dataset:`),
		},
		None: []*Pattern{
			pattern(`(?m)^(?:infer_backend|export_dir):`),
			pattern(`(?m)^do_train:[ \t]*(?i:false)`),
		},
		BaseModel:    yamlValue(`model_name_or_path`),
		Datasets:     []*Pattern{pattern(`(?m)^dataset:[ \t]*["']?([^\n"'#{}\[\]&*!|>]+)`)},
		DatasetSplit: ",",
		Pretrain:     []*Pattern{pattern(`(?m)^stage:[ \t]*["']?pt\b`)},
		Refs:         []*Pattern{backendRefText},
	},
}

// axolotlTraining are axolotl keys only a training run sets; a merge recipe
// or an eval config naming a base model and datasets has none of them.
var axolotlTraining = []string{
	"micro_batch_size", "gradient_accumulation_steps", "num_epochs", "max_steps",
	"learning_rate", "sequence_len", "adapter", "optimizer", "lr_scheduler",
}

var axolotl = Detector{
	Name: "axolotl",
	Sources: []Source{
		{Repo: "axolotl-ai-cloud/axolotl", Commit: "067b021c8b87a9e5e380b9173c704cf7340e30f5", Path: "src/axolotl/utils/schemas/config.py"},
		{Repo: "axolotl-ai-cloud/axolotl", Commit: "067b021c8b87a9e5e380b9173c704cf7340e30f5", Path: "src/axolotl/utils/schemas/trl.py"},
	},
	Doc: `axolotl training configs: a base_model with training data (datasets, or
pretraining_dataset for streaming pretraining) and axolotl's training keys
(micro_batch_size, num_epochs, sequence_len, adapter, ...); SFT, LoRA/QLoRA, reward
models and rl: dpo/orpo/kto/grpo all share this shape. mergekit recipes (base_model,
models, merge_method) and axolotl's cloud runner settings have no training data and are
not matched. A pretraining_dataset, or datasets that are all raw text (type:
completion), is pretraining (kind pretrain) unless the file has a fine-tuning signal
(rl, reward_funcs, a chat template, preference keys): GRPO on completion data is
fine-tuning, and a ${VAR} placeholder names no pretraining data. In Python and
notebooks, a DictDefault(base_model=..., datasets=...) config handed to axolotl's
train( is matched. Launchers running axolotl train CONFIG put CONFIG on trial, whatever
its extension.`,
	Formats: []Format{YAML, JSON, Python, Notebook},
	Code:    axolotlCode,
	Signatures: []Signature{
		{Name: "base_model+datasets", When: AllOf(Scalar("base_model"), Has("datasets"), HasAny(axolotlTraining...))},
		{Name: "base_model+pretraining_dataset", When: AllOf(Scalar("base_model"), Has("pretraining_dataset"), HasAny(axolotlTraining...))},
		// An RL run (rl: grpo with a plugin's environments, such as
		// nemo_gym) may take its prompts from somewhere other than datasets.
		{Name: "base_model+rl", When: AllOf(Scalar("base_model"), Scalar("rl"), HasAny(axolotlTraining...))},
	},
	Launches: []*Pattern{
		launch("axolotl", `axolotl[ \t]+(?:train|preprocess)`),
		launch("axolotl.cli.", `-m[ \t]+axolotl\.cli\.(?:train|preprocess)`),
	},
	BaseModel: []string{"base_model"},
	Datasets: []Pick{
		{Path: "datasets", Keys: []string{"path"}},
		{Path: "pretraining_dataset", Keys: []string{"path"}},
	},
	// A ${VAR} template names no data: it is no evidence of pretraining.
	Pretrain: []Cond{
		Named("pretraining_dataset"),
		Each("datasets", Eq("type", "completion")),
	},
	Refs: backendRefs,
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)^base_model:[ \t]*\S`),
			pattern(`(?m)^(?:datasets|pretraining_dataset):`),
			pattern(`(?m)^(?:micro_batch_size|gradient_accumulation_steps|num_epochs|max_steps|learning_rate|sequence_len|adapter):`),
		},
		BaseModel: yamlValue(`base_model`),
		Datasets:  []*Pattern{yamlValue(`[ \t]*-?[ \t]*path`)},
		Pretrain:  []*Pattern{pattern(`(?m)^pretraining_dataset:[ \t]*(?:#.*)?$|^pretraining_dataset:[ \t]*[^$\s#{]`)},
		Refs:      []*Pattern{backendRefText},
	},
}

// trlDatasets are the keys TRL scripts, the alignment-handbook and the
// transformers example scripts read training data from.
var trlDatasets = []string{"dataset_name", "dataset_mixture", "dataset_mixer", "datasets", "train_file"}

var trl = Detector{
	Name: "trl",
	Sources: []Source{
		{Repo: "huggingface/trl", Commit: "f2cd57710ae345ea6428ae95363267fcf38a3dc8", Path: "trl/scripts/utils.py"},
		{Repo: "huggingface/trl", Commit: "f2cd57710ae345ea6428ae95363267fcf38a3dc8", Path: "trl/trainer/sft_config.py"},
		{Repo: "huggingface/trl", Commit: "f2cd57710ae345ea6428ae95363267fcf38a3dc8", Path: "trl/trainer/grpo_config.py"},
	},
	Doc: `Hugging Face TRL and transformers TrainingArguments configs (trl sft|dpo|grpo
--config, alignment-handbook recipes, example-script argument files): model_name_or_path
with training data (dataset_name, dataset_mixture, dataset_mixer, datasets or
train_file). A file naming a model and a dataset but no training argument
(learning_rate, num_train_epochs, per_device_train_batch_size, beta, ...) that only
evaluates or generates (do_eval, do_predict, max_new_tokens, temperature) is a
look-alike and is not matched, nor is one with do_train: false. A plain-text
train_file (run_clm on raw text) is continued pretraining (kind pretrain); recipes
whose datasets are raw text by name only (alignment-handbook "cpt") cannot be told
from SFT and are reported as finetune. In Python and notebooks, constructing a TRL
trainer (SFTTrainer(, DPOTrainer(, GRPOTrainer(, ...) is matched; launchers (trl
sft|dpo|grpo ..., accelerate launch of TRL's example scripts) that pass
--model_name_or_path or --dataset_name themselves are matched.`,
	Formats: []Format{YAML, JSON, Shell, Python, Notebook},
	Code:    trlCode,
	Shell: &TextSignature{
		All: []*Pattern{
			needing([]string{"trl", "examples/scripts"}, `\btrl[ \t]+(?:sft|dpo|grpo|kto|orpo|reward|rloo|ppo)\b|\b(?:trl/scripts|examples/scripts)/\w+\.py\b`),
			pattern(`--(?:model_name_or_path|dataset_name)[ \t=]`),
		},
		BaseModel: shellArg(`--model_name_or_path`),
		Datasets:  []*Pattern{shellArg(`--dataset_name`)},
	},
	Signatures: []Signature{
		{Name: "model_name_or_path+dataset_name", When: AllOf(Scalar("model_name_or_path"), Has("dataset_name"))},
		{Name: "model_name_or_path+dataset_mixture", When: AllOf(Scalar("model_name_or_path"), HasAny("dataset_mixture", "dataset_mixer"))},
		{Name: "model_name_or_path+datasets", When: AllOf(Scalar("model_name_or_path"), HasAny("datasets", "train_file"))},
	},
	// do_eval, do_predict and the generation settings are arguments TRL's
	// trainers take during training (GRPO samples with temperature and
	// top_p): none of them makes a look-alike. An eval harness's task list
	// in a file without any training argument does.
	Reject: []Cond{
		Eq("do_train", "false"),
		AllOf(Not(HasAny(hfTrainingArgs...)), Has("tasks")),
	},
	Launches:  []*Pattern{launchFlag("trl", `trl[ \t]+\w+`, `--config`)},
	BaseModel: []string{"model_name_or_path"},
	// A plain-text train_file is the transformers example scripts'
	// (run_clm) raw-text language modelling: there are no labels in it.
	Pretrain: []Cond{AllOf(Suffix("train_file", ".txt"), Not(HasAny("dataset_name", "dataset_mixture", "dataset_mixer", "datasets")))},
	Datasets: []Pick{
		{Path: "dataset_name"},
		{Path: "dataset_mixture.datasets", Keys: []string{"id", "path", "name"}},
		{Path: "dataset_mixer", MapKeys: true},
		{Path: "datasets", Keys: []string{"path", "id", "name"}},
		{Path: "train_file"},
	},
	Refs: backendRefs,
	Text: &TextSignature{
		All: []*Pattern{
			pattern(`(?m)^model_name_or_path:[ \t]*\S`),
			pattern(`(?m)^(?:dataset_name|dataset_mixture|dataset_mixer|datasets|train_file):`),
		},
		None:      []*Pattern{pattern(`(?m)^do_train:[ \t]*(?i:false)`)},
		BaseModel: yamlValue(`model_name_or_path`),
		Datasets:  []*Pattern{yamlValue(`dataset_name`)},
		Refs:      []*Pattern{backendRefText},
	},
}
