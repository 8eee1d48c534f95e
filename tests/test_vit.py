"""core.patches, core.rollout, core.vit, core.vit_inputs: worked numbers and equality with the libraries."""
import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from core import patches as pt
from core import rollout as ro
from core import vit as vm
from core import vit_inputs as vi
from core.errors import StudioError


# ---- patches ---------------------------------------------------------------------------------
@pytest.mark.parametrize("shape,patch", [((2, 1, 28, 28), 7), ((1, 1, 28, 28), 4), ((2, 3, 224, 224), 16),
                                         ((1, 3, 12, 8), 4), ((1, 1, 28, 28), 1), ((1, 1, 28, 28), 28)])
def test_patchify_then_unpatchify_returns_the_image(shape, patch):
    x = torch.rand(shape, generator=torch.Generator().manual_seed(0))
    B, C, H, W = shape
    p = pt.patchify(x, patch)
    assert p.shape == (B, (H // patch) * (W // patch), patch * patch * C)
    assert torch.equal(pt.unpatchify(p, patch, H, W), x)


def test_patchify_equals_torch_unfold_in_raster_order():
    x = torch.rand(2, 3, 12, 16, generator=torch.Generator().manual_seed(1))
    ref = F.unfold(x, kernel_size=4, stride=4).transpose(1, 2)  # (B, N, C*P*P), the library's im2col
    assert torch.equal(pt.patchify(x, 4), ref)


def test_patch_numbering_is_row_by_row():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    p = pt.patchify(x, 2)
    assert p[0].tolist() == [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]


def test_patch_size_that_does_not_divide_the_image_is_refused_with_the_sizes_that_do():
    with pytest.raises(StudioError) as err:
        pt.patchify(torch.zeros(1, 1, 28, 28), 5)
    assert err.value.key == "vit.patch_not_divisible"
    assert err.value.params["divisors"] == "1, 2, 4, 7, 14, 28"
    with pytest.raises(StudioError) as err:
        pt.check_patch_size(28, 28, 0)
    assert err.value.key == "vit.patch_out_of_range"
    with pytest.raises(StudioError) as err:
        pt.check_patch_size(224, 224, 1)  # 50,176 patches
    assert err.value.key == "vit.too_many_patches"


def test_shapes_of_the_paper_and_of_the_studio_model():
    s = pt.shapes(224, 224, 3, 16, 768)  # ViT-Base/16
    assert (s["N"], s["patch_dim"], s["E"], s["E_pos"], s["z_0"]) == (196, 768, (768, 768), (197, 768), (197, 768))
    s = pt.shapes(28, 28, 1, 7, 64)
    assert (s["N"], s["rows"], s["cols"], s["patch_dim"], s["E_params"]) == (16, 4, 4, 49, 49 * 64 + 64)


@pytest.mark.parametrize("channels,size,patch", [(1, 28, 7), (3, 32, 8)])
def test_embed_by_hand_equals_the_transformers_embedding_layer(channels, size, patch):
    from transformers import ViTConfig, ViTForImageClassification

    torch.manual_seed(0)
    hf = ViTForImageClassification(ViTConfig(image_size=size, patch_size=patch, num_channels=channels,
                                             hidden_size=24, num_hidden_layers=1, num_attention_heads=2,
                                             intermediate_size=32, num_labels=3)).eval()
    x = torch.randn(2, channels, size, size)
    with torch.no_grad():
        ref = hf.vit.embeddings(x)
    assert torch.allclose(pt.embed(hf, x), ref, atol=1e-5)


# ---- rollout ---------------------------------------------------------------------------------
A = [[0.6, 0.4], [0.2, 0.8]]


def test_rollout_one_and_two_layers_by_hand():
    one = torch.tensor([[A]])                           # (L=1, H=1, T=2, T=2)
    # A~ = 0.5 A + 0.5 I = [[0.8, 0.2], [0.1, 0.9]]
    assert torch.allclose(ro.rollout(one), torch.tensor([[0.8, 0.2], [0.1, 0.9]]))
    two = torch.tensor([[A], [A]])
    # A~ A~ = [[0.66, 0.34], [0.17, 0.83]]
    assert torch.allclose(ro.rollout(two), torch.tensor([[0.66, 0.34], [0.17, 0.83]]))


def test_rollout_multiplies_later_layers_on_the_left():
    attn = torch.tensor([[A], [[[1.0, 0.0], [1.0, 0.0]]]])  # layer 2 sends everything to token 0
    # A~2 = [[1, 0], [0.5, 0.5]], A~1 = [[0.8, 0.2], [0.1, 0.9]]: A~2 A~1 = [[0.8, 0.2], [0.45, 0.55]]
    assert torch.allclose(ro.rollout(attn), torch.tensor([[0.8, 0.2], [0.45, 0.55]]))


def test_head_fusions_by_hand():
    heads = torch.tensor([[A, [[0.2, 0.8], [0.6, 0.4]]]])  # (1, 2, 2, 2)
    # mean [[0.4, 0.6], [0.4, 0.6]] -> A~ [[0.7, 0.3], [0.2, 0.8]]
    assert torch.allclose(ro.rollout(heads, "mean"), torch.tensor([[0.7, 0.3], [0.2, 0.8]]))
    # max [[0.6, 0.8], [0.6, 0.8]] -> [[0.8, 0.4], [0.3, 0.9]] -> rows / sums
    assert torch.allclose(ro.rollout(heads, "max"), torch.tensor([[2 / 3, 1 / 3], [0.25, 0.75]]))
    # min [[0.2, 0.4], [0.2, 0.4]] -> [[0.6, 0.2], [0.1, 0.7]] -> rows / sums
    assert torch.allclose(ro.rollout(heads, "min"), torch.tensor([[0.75, 0.25], [0.125, 0.875]]))
    with pytest.raises(StudioError) as err:
        ro.rollout(heads, "median")
    assert err.value.key == "vit.bad_fusion"


def test_discard_ratio_zeroes_the_weakest_but_keeps_cls_to_cls():
    heads = torch.tensor([[A, [[0.2, 0.8], [0.6, 0.4]]]])
    # mean [[0.4, 0.6], [0.4, 0.6]]; the 2 weakest are (0,0) and (1,0); (0,0) is kept
    # -> [[0.4, 0.6], [0, 0.6]] -> A~ [[0.7, 0.3], [0, 0.8]] -> rows / sums
    assert torch.allclose(ro.rollout(heads, "mean", 0.5), torch.tensor([[0.7, 0.3], [0.0, 1.0]]))
    for bad in (-0.1, 1.0):
        with pytest.raises(StudioError) as err:
            ro.rollout(heads, "mean", bad)
        assert err.value.key == "vit.bad_discard"


def test_rollout_rows_sum_to_one_and_map_is_scaled_to_max_one():
    attn = torch.rand(4, 4, 17, 17, generator=torch.Generator().manual_seed(0)).softmax(-1)
    for fusion in ro.HEAD_FUSIONS:
        r = ro.rollout(attn, fusion, 0.3)
        assert torch.allclose(r.sum(-1), torch.ones(17), atol=1e-5)
    m = ro.rollout_map(attn, 4, 4)
    assert m.shape == (4, 4) and m.max().item() == pytest.approx(1.0)
    assert torch.allclose(m.flatten() * ro.rollout(attn)[0, 1:].max(), ro.rollout(attn)[0, 1:])


def test_cls_attention_is_row_zero_without_the_cls_column():
    attn = torch.rand(2, 3, 5, 5)
    assert torch.equal(ro.cls_attention(attn), attn[:, :, 0, 1:])


# ---- position similarity ---------------------------------------------------------------------
def test_position_similarity_diagonal_is_one_and_equals_cosine_similarity():
    e = torch.randn(17, 64, generator=torch.Generator().manual_seed(0))
    sim = ro.position_similarity(e)
    assert sim.shape == (16, 16)
    assert torch.allclose(sim.diagonal(), torch.ones(16), atol=1e-6)
    ref = F.cosine_similarity(e[1:, None, :], e[None, 1:, :], dim=-1)
    assert torch.allclose(sim, ref, atol=1e-6)


def test_neighbour_similarity_of_a_smooth_2d_code():
    rows = cols = 4
    k = torch.arange(16)
    r, c = (k // cols).float(), (k % cols).float()
    # sin/cos code of (row, col): neighbours are more alike than far patches
    code = torch.stack([torch.cos(r), torch.sin(r), torch.cos(c), torch.sin(c)], 1)
    sim = ro.position_similarity(torch.cat([torch.zeros(1, 4), code]))
    near, far = ro.neighbour_similarity(sim, rows, cols)
    assert near > far
    # one neighbour step changes one angle by 1 rad: cos = (2 + 2 cos 1) / 4 ... averaged over pairs
    assert near == pytest.approx((1 + np.cos(1.0)) / 2, abs=1e-5)


# ---- the model -------------------------------------------------------------------------------
def test_run_gives_softmax_attention_of_every_layer_and_matching_logits():
    torch.manual_seed(0)
    model = vm.MnistViT(vm.ViTConfig()).eval()
    x = torch.rand(3, 1, 28, 28)
    logits, attn = vm.run(model, x)
    assert attn.shape == (4, 3, 4, 17, 17)
    assert torch.allclose(attn.sum(-1), torch.ones(4, 3, 4, 17), atol=1e-5)
    with torch.no_grad():
        assert torch.allclose(logits, model(x), atol=1e-5)
    assert model.position_embeddings.shape == (17, 64)


def test_augment_is_seeded_and_lr_schedule_warms_up_then_decays():
    x = torch.rand(4, 1, 28, 28)
    a = vm.augment(x, torch.Generator().manual_seed(3))
    assert torch.equal(a, vm.augment(x, torch.Generator().manual_seed(3)))
    assert a.shape == x.shape and not torch.equal(a, x)
    assert vm.lr_at(0, 100, 10, 1.0) == pytest.approx(0.1)
    assert vm.lr_at(9, 100, 10, 1.0) == pytest.approx(1.0)
    assert vm.lr_at(55, 100, 10, 1.0) == pytest.approx(0.5)
    assert vm.lr_at(100, 100, 10, 1.0) == pytest.approx(0.0)


def test_tiny_training_through_the_registry(tmp_path):
    from core import checkpoint, train

    out = tmp_path / "vit"
    assert train.main(["vit", "--tiny", "--seed", "1", "--batch-size", "16", "--out", str(out),
                       "--device", "cpu", "--set", "hidden_size=16", "--set", "num_layers=1"]) == 0
    model, info = checkpoint.load(out)
    assert isinstance(model, vm.MnistViT) and info["config"]["hidden_size"] == 16
    assert model(torch.rand(2, 1, 28, 28)).shape == (2, 10)


def test_committed_vit_config_and_accuracy_on_the_committed_sample():
    from core.data import load_sample, to_float

    model = vm.committed()
    from core.checkpoint import load_cached

    info = load_cached("vit")[1]
    assert info["config"]["patch_size"] in (4, 7) and info["metrics"]["test_accuracy"] >= 0.97
    images, labels = load_sample()
    pred, conf = vm.judge(model, to_float(images))
    assert (pred == labels).float().mean().item() >= 0.96
    assert conf.min() > 0 and conf.max() <= 1


def test_hub_model_missing_offline_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(StudioError) as err:
        vm._load_hub.__wrapped__("google/vit-base-patch16-224")
    assert err.value.key == "vit.hub_offline"


def test_hub_model_from_a_local_folder_gives_the_same_views(tmp_path):
    from transformers import ViTConfig, ViTForImageClassification

    torch.manual_seed(0)
    ViTForImageClassification(ViTConfig(image_size=32, patch_size=8, hidden_size=24, num_hidden_layers=2,
                                        num_attention_heads=2, intermediate_size=32, num_labels=5)
                              ).save_pretrained(tmp_path)
    model, mean, std, size = vm._load_hub.__wrapped__(str(tmp_path))
    assert size == 32 and mean.tolist() == [0.5] * 3
    logits, attn = vm.run(model, torch.randn(1, 3, 32, 32))
    assert logits.shape == (1, 5) and attn.shape == (2, 1, 2, 17, 17)
    assert ro.rollout_map(attn[:, 0], 4, 4).shape == (4, 4)


# ---- inputs ----------------------------------------------------------------------------------
def _png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


def test_read_upload_refuses_non_images_and_huge_images(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(StudioError) as err:
        vi.read_upload(str(text))
    assert err.value.key == "common.not_an_image"
    huge = tmp_path / "wide.png"
    huge.write_bytes(_png(np.zeros((2, vi.MAX_SIDE + 1), np.uint8)))
    with pytest.raises(StudioError) as err:
        vi.read_upload(str(huge))
    assert err.value.key == "common.image_too_large" and err.value.params["width"] == vi.MAX_SIDE + 1
    ok = tmp_path / "ok.png"
    ok.write_bytes(_png(np.full((10, 20, 4), 255, np.uint8)))
    assert vi.read_upload(str(ok)).shape == (10, 20, 3)


def test_to_digit_recovers_mnist_digits_drawn_dark_on_light():
    from core.data import load_sample

    images, labels = load_sample()
    paper = [np.repeat(np.kron(255 - im.numpy(), np.ones((4, 4), np.uint8))[..., None], 3, -1) for im in images]
    digits = torch.from_numpy(np.stack([vi.to_digit(p) for p in paper]))[:, None]
    assert digits.shape == (200, 1, 28, 28) and 0 <= digits.min() and digits.max() <= 1
    pred, _ = vm.judge(vm.committed(), digits)
    assert (pred == labels).float().mean().item() >= 0.9
    with pytest.raises(StudioError) as err:
        vi.to_digit(np.full((50, 50, 3), 255, np.uint8))
    assert err.value.key == "common.empty_sketch"


def test_sketch_and_photos():
    with pytest.raises(StudioError) as err:
        vi.sketch_rgb({"composite": None})
    assert err.value.key == "common.empty_sketch"
    blank = np.zeros((40, 40, 4), np.uint8)  # fully transparent canvas
    with pytest.raises(StudioError):
        vi.sketch_rgb({"composite": blank})
    drawn = blank.copy()
    drawn[5:35, 18:22] = (0, 0, 0, 255)  # a black stroke: a "1"
    assert vi.to_digit(vi.sketch_rgb({"composite": drawn})).shape == (28, 28)
    photo = vi.to_photo(vi.bundled_photo("chelsea"))
    assert photo.shape == (224, 224, 3) and photo.dtype == np.uint8
    assert vi.bundled_photo("camera").shape == (512, 512, 3)
    with pytest.raises(StudioError):
        vi.bundled_photo("../etc/passwd")
