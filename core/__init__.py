"""Deep Studio core: pure PyTorch functions and small nn.Modules, no Gradio."""
