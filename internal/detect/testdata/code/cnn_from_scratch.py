import torch
from torch import nn
from torchvision import datasets, transforms

model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Flatten(), nn.Linear(21632, 10))
loader = torch.utils.data.DataLoader(datasets.MNIST("data", download=True, transform=transforms.ToTensor()), batch_size=64)
opt = torch.optim.Adam(model.parameters())
model.train()
for x, y in loader:
    opt.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
