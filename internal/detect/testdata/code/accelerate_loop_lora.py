from accelerate import Accelerator
from peft import LoraConfig, get_peft_model
from torch.optim import AdamW
from transformers import AutoModelForCausalLM

accelerator = Accelerator()
model = AutoModelForCausalLM.from_pretrained("EleutherAI/pythia-410m")
model = get_peft_model(model, LoraConfig(r=4))
opt = AdamW(model.parameters(), lr=1e-4)
model, opt = accelerator.prepare(model, opt)
for batch in []:
    loss = model(**batch).loss
    accelerator.backward(loss)
    opt.step()
