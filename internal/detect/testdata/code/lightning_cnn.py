import lightning as L
import torch
from torch import nn


class Net(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(28 * 28, 10)

    def training_step(self, batch, _):
        x, y = batch
        return nn.functional.cross_entropy(self.layer(x.view(x.size(0), -1)), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())


trainer = L.Trainer(max_epochs=1)
trainer.fit(Net(), train_dataloaders=[])
