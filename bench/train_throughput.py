"""The same two networks and training step in Python PyTorch (Debian python3-torch), for a side-by-side figure.

Usage: python3 bench/train_throughput.py [steps]   (run by bench/train-throughput.sh)
"""
import os
import sys
import time

import torch
from torch import nn

torch.set_num_threads(os.cpu_count())
torch.manual_seed(1)


class Seed(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(c, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2))
        self.lstm = nn.LSTM(32, 64, batch_first=True)
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ELU(), nn.Linear(32, 2))

    def forward(self, x):
        f = self.cnn(x)
        n, c, h, w = f.shape
        seq = f.permute(0, 2, 3, 1).reshape(n, h * w, c)
        out, _ = self.lstm(seq)
        return self.head(out[:, -1, :])


class CnnLstm(nn.Module):
    def __init__(self, c):
        super().__init__()
        layers = []
        for f in (16, 32, 64, 128, 128):
            layers += [nn.Conv2d(c, f, 3, padding=1, bias=False), nn.BatchNorm2d(f), nn.ReLU(), nn.MaxPool2d(2)]
            c = f
        self.cnn = nn.Sequential(*layers)
        self.lstm = nn.LSTM(128, 64, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 2))

    def forward(self, x):
        f = self.cnn(x)
        n, c, h, w = f.shape
        seq = f.permute(0, 2, 3, 1).reshape(n, h * w, c)
        out, _ = self.lstm(seq)
        return self.head(out.mean(1))


def run(name, net, channels, steps, batch=32):
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    total = 0.0
    for i in range(3 + steps):
        x = torch.rand(batch, channels, 224, 224)
        y = torch.randint(0, 2, (batch,))
        t = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        if i >= 3:
            total += time.perf_counter() - t
    print(f"python\t{name}\t224x224x{channels}\t{steps * batch / total:.1f} images/s\ttorch {torch.__version__},"
          f" {torch.get_num_threads()} threads")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    run("seed", Seed(3), 3, n)
    run("cnn-lstm", CnnLstm(1), 1, n)
