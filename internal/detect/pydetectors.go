package detect

import "strings"

// This file declares what Python files and notebooks are matched on: the
// code signatures of the detectors whose runs start from code, and the
// expressions that find the base model and datasets in it.

// codeKwarg matches a keyword argument or assignment whose value is a
// string literal: name="value", capturing the value.
func codeKwarg(name string) *Pattern {
	return pattern(`\b` + name + `\s*=\s*[rf]?["']([^"'\s]+)["']`)
}

// Where code names its base model, most specific first: a model class's
// from_pretrained with a literal, any from_pretrained with a literal, then
// a variable holding the name.
var (
	codeModelLoad = pattern(`\b(?:AutoModel\w*|\w+For\w+|\w+Model|\w*LMHeadModel)\.from_pretrained\(\s*(?:(?:pretrained_model_name_or_path|model_name)\s*=\s*)?[rf]?["']([^"'\s]+)["']`)
	codeAnyLoad   = pattern(`\.from_pretrained\(\s*(?:(?:pretrained_model_name_or_path|model_name)\s*=\s*)?[rf]?["']([^"'\s]+)["']`)
	// codeLoadsModel is any such load, the name a literal or a variable.
	codeLoadsModel = needing([]string{".from_pretrained("}, `\b(?:AutoModel\w*|\w+For\w+|\w+Model|\w*LMHeadModel)\.from_pretrained\(`)
	codeModelVar   = pattern(`\b(?:model_name_or_path|base_model|model_name|model_id|model_checkpoint|checkpoint)\s*=\s*[rf]?["']([^"'\s]+)["']`)
	codeBaseModel  = []*Pattern{codeModelLoad, codeAnyLoad, codeModelVar}
	// codeDatasets are load_dataset's first literal argument (a hub id or a
	// builder such as "json") and its data_files.
	codeDatasets = []*Pattern{
		pattern(`\bload_dataset\(\s*[rf]?["']([^"'\s]+)["']`),
		pattern(`\bdata_files\s*=\s*[rf]?["']([^"'\s]+)["']`),
		codeKwarg(`dataset_name`),
	}
	// codeTrains is a call that runs the training loop.
	codeTrains = pattern(`\.train\(`)
)

var unsloth = Detector{
	Name: "unsloth",
	Doc: `Unsloth fine-tuning in Python and notebooks: FastLanguageModel (FastModel,
FastVisionModel).get_peft_model adds LoRA adapters to a loaded model, and
from_pretrained(..., full_finetuning=True) prepares full fine-tuning. Loading a model
with Unsloth for inference only (for_inference, generate) is not matched.`,
	Formats: []Format{Python, Notebook},
	Code: []CodeSignature{
		{
			Name:      "get_peft_model",
			Call:      pattern(`\bFast\w*Model\.get_peft_model\(`),
			Words:     []string{"get_peft_model"},
			Also:      []*Pattern{codeTrainsAny},
			BaseModel: []*Pattern{codeKwarg(`model_name`), codeAnyLoad},
			Datasets:  codeDatasets,
		},
		{
			Name:      "full_finetuning",
			Call:      pattern(`\bfull_finetuning\s*=\s*True\b`),
			Words:     []string{"full_finetuning"},
			Also:      []*Pattern{pattern(`\bFast\w*Model\.from_pretrained\(`)},
			BaseModel: []*Pattern{codeKwarg(`model_name`), codeAnyLoad},
			Datasets:  codeDatasets,
		},
	},
}

// codeFineTuneSignal is code that trains on labels, turns, preferences or
// rewards: a run with any of it is fine-tuning, never pretraining.
var codeFineTuneSignal = pattern(`\b(?:apply_chat_template|chat_template|DataCollatorForCompletionOnlyLM|DataCollatorForSeq2Seq|DataCollatorWithPadding|\w+For(?:Sequence|Token)Classification|\w+ForQuestionAnswering|\w+ForSeq2SeqLM|(?:SFT|DPO|ORPO|KTO|CPO|PPO|GRPO|RLOO|Reward)(?:Trainer|Config)|reward_funcs|LoraConfig\(\s*task_type\s*=\s*["']SEQ_CLS)\b`)

// codeLoadsPretrained loads pretrained weights: from_pretrained, timm's
// create_model(..., pretrained=True), a torchvision model built with
// weights=. A training loop over them fine-tunes (a vision encoder, say);
// one over a model built without them trains from scratch.
var codeLoadsPretrained = needing([]string{".from_pretrained(", "create_model(", "weights"},
	`\b\w+\.from_pretrained\(|\bcreate_model\([^)\n]*\bpretrained\s*=\s*True|\b\w+\([^)\n]*\bweights\s*=\s*(?:["']|\w+_Weights\b)`)

// anyTrainer constructs a trainer: transformers' Trainer and
// Seq2SeqTrainer, a project's subclass of them (WeightedTrainer), or
// another framework's trainer over the same loaded model.
var anyTrainer = pattern(`\b\w*Trainer\(`)

// codeFromScratch is a model built from a config, with random weights:
// training it is pretraining, not fine-tuning.
var codeFromScratch = needing([]string{".from_config(", "ForCausalLM(", "LMHeadModel(", "ForMaskedLM("},
	`\.from_config\(|\b\w*(?:ForCausalLM|LMHeadModel|ForMaskedLM)\(\s*(?:config\s*=\s*)?\w*config\b`)

var transformers = Detector{
	Name: "transformers",
	Doc: `Hugging Face transformers Trainer (and Seq2SeqTrainer) runs in Python and
notebooks: a Trainer( (or Seq2SeqTrainer(, or a subclass's constructor) whose model
is loaded with from_pretrained, in a file that calls .train(). A Trainer over a model built from a config (from_config, or a
*ForCausalLM(config)) is pretraining from scratch, and one that groups raw text into
blocks (ds.map(group_texts), as run_clm does) is continued pretraining: both kind
pretrain, unless the code trains on labels, turns or preferences (a chat template, a
classification head, a TRL trainer or config). A training loop over a model loaded with
pretrained weights (from_pretrained, timm's create_model(pretrained=True), a torchvision
model built with weights=) that steps an optimiser after loss.backward() or
accelerator.backward( is matched too: a vision encoder fine-tuned by hand is a fine-tune;
a loop over a model built without weights trains from scratch and is not. Scripts
that only load a model to generate, evaluate or serve construct no Trainer, or never
call .train(), and are not matched.`,
	Formats: []Format{Python, Notebook},
	Code: []CodeSignature{
		{
			Name:      "Trainer+from_pretrained",
			Call:      anyTrainer,
			Words:     []string{"Trainer"},
			Also:      []*Pattern{codeLoadsModel, codeTrains},
			BaseModel: codeBaseModel,
			Datasets:  codeDatasets,
			// Grouping raw text into blocks is run_clm's language modelling;
			// a group_texts that is only defined decides nothing.
			Pretrain: []*Pattern{pattern(`\.map\(\s*group_texts\b`)},
		},
		{
			// A training loop over pretrained weights: torchtune's recipes
			// and mistral-finetune's train.py step an optimiser by hand.
			Name:      "from_pretrained+backward",
			Call:      pattern(`\b(?:accelerator|loss|\w*_loss|scaler\.scale\(\s*loss\s*\))\.backward\(`),
			Words:     []string{"backward"},
			Also:      []*Pattern{codeLoadsPretrained, pattern(`\.step\(`)},
			BaseModel: codeBaseModel,
			Datasets:  codeDatasets,
		},
		{
			Name:     "Trainer+from_config",
			Call:     anyTrainer,
			Words:    []string{"Trainer"},
			Also:     []*Pattern{codeFromScratch, codeTrains},
			Datasets: codeDatasets,
			Pretrain: []*Pattern{codeFromScratch},
		},
	},
}

// trlTrainers are TRL's trainer classes; constructing one starts a
// post-training run of a pretrained model.
var (
	trlTrainerNames = []string{"SFT", "DPO", "ORPO", "KTO", "CPO", "PPO", "PPOv2", "GRPO", "RLOO", "Reward", "GKD", "OnlineDPO", "NashMD", "XPO", "BCO", "PRM", "AlignProp", "DDPO", "IterativeSFT"}
	trlTrainers     = pattern(`\b(?:` + strings.Join(trlTrainerNames, "|") + `)Trainer\(`)
	// trlTrainerWords are the class names themselves, the prefilter's words.
	trlTrainerWords = func() []string {
		out := make([]string, len(trlTrainerNames))
		for i, n := range trlTrainerNames {
			out[i] = n + "Trainer"
		}
		return out
	}()
)

var trlCode = []CodeSignature{{
	Name:  "trainer",
	Call:  trlTrainers,
	Words: trlTrainerWords,
	// TRL trainers also take the model's name: SFTTrainer(model="org/m").
	BaseModel: append(codeBaseModel[:len(codeBaseModel):len(codeBaseModel)], codeKwarg(`model`)),
	Datasets:  codeDatasets,
}}

// codeTrainsAny is code that runs optimisation steps or a training loop:
// a trainer's .train(), a backward pass, an optimiser step, a framework's
// train entry point. get_peft_model without any of it only initialises,
// converts or benchmarks an adapter (SPEC 2).
var codeTrainsAny = pattern(`\.train\(|\.backward\(|\boptimizer\.step\(|\b\w*Trainer\(|\btrain\(\s*(?:cfg|config)\b`)

var peftCode = []CodeSignature{{
	Name: "get_peft_model",
	// Unsloth's FastLanguageModel.get_peft_model is Unsloth's own.
	Call:      pattern(`(?:^|[^\w.]|\bpeft\.)get_peft_model\(`),
	Words:     []string{"get_peft_model"},
	Also:      []*Pattern{codeTrainsAny},
	BaseModel: codeBaseModel,
	Datasets:  codeDatasets,
}}

var openAICode = []CodeSignature{{
	Name:      "fine_tuning.jobs.create",
	Call:      pattern(`\.fine_tuning\.jobs\.create\(|\bFineTuningJob\.create\(|\bFineTune\.create\(`),
	Words:     []string{"fine_tuning", "FineTuningJob", "FineTune"},
	BaseModel: []*Pattern{codeKwarg(`model`)},
	Datasets:  []*Pattern{codeKwarg(`training_file`)},
}}

// axolotlCode runs axolotl from Python: a config built inline with
// DictDefault (base_model, datasets, an adapter or training keys) handed to
// axolotl's train entry point, as its notebooks and Colab examples do.
var axolotlCode = []CodeSignature{{
	Name:  "DictDefault+train",
	Call:  pattern(`\bDictDefault\(`),
	Words: []string{"DictDefault"},
	Also: []*Pattern{
		pattern(`\bbase_model["']?\s*[=:]`),
		pattern(`\bdatasets["']?\s*[=:]`),
		pattern(`(?:^|[^\w.])train\(|\bdo_cli\(|\baxolotl\.cli\.train\b`),
	},
	BaseModel: []*Pattern{pattern(`\bbase_model["']?\s*[=:]\s*[rf]?["']([^"'\s]+)["']`)},
	Datasets:  []*Pattern{pattern(`\bpath["']?\s*[=:]\s*[rf]?["']([^"'\s]+)["']`)},
}}
