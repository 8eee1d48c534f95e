"""VAE Latent Walk tab: English and Korean."""

EN = {
    "vae.tab": "VAE Latent Walk",
    "vae.intro": (
        "### Variational autoencoder (Kingma & Welling 2014) with a 2-D latent space\n"
        "The **encoder** maps a digit x to a Gaussian q(z|x) = N(μ, σ²); the **reparameterization** "
        "z = μ + σ · ε with ε ~ N(0, I) draws a point; the **decoder** turns z back into pixel "
        "probabilities p(x|z). Training minimises **loss = reconstruction (binary cross-entropy, summed "
        "over 784 pixels) + KL(N(μ, σ²) ‖ N(0, I))**, the negative ELBO. With only two latent numbers the "
        "whole space fits on the map below. The studio's CNN says which digit each decoded picture looks like."
    ),
    "vae.sec_decode": "Decode a point",
    "vae.sec_manifold": "Manifold",
    "vae.sec_interp": "Interpolation",
    "vae.sec_encode": "Encode a digit",
    "vae.sec_16d": "16-D latent",
    "vae.map": "Latent map: μ of the 10,000 MNIST test digits, coloured by class (click to decode)",
    "vae.map_help": "Click anywhere on the map, or move the sliders, to decode that point z = (z1, z2).",
    "vae.z1": "z1",
    "vae.z2": "z2",
    "vae.seed": "Seed",
    "vae.sample_button": "Sample z ~ N(0, I)",
    "vae.decoded": "Decoded image p(x|z)",
    "vae.cnn_probs": "CNN's reading (softmax)",
    "vae.judge_sure": "{where}: the CNN reads a clear **{digit}** ({conf:.1%} sure).",
    "vae.judge_maybe": "{where}: the CNN reads **probably a {digit}** ({conf:.1%} sure): a blend between digits.",
    "vae.judge_unsure": "{where}: the CNN is **not sure this is a digit** (best guess {digit}, {conf:.1%}).",
    "vae.clamped": "z ~ N(0, I) with seed {seed} gave ({raw1:.2f}, {raw2:.2f}); clamped to the map's range ±{limit}.",
    "vae.grid_n": "Grid size n (n × n digits)",
    "vae.radius": "Range r: z from -r to +r",
    "vae.spacing": "Grid spacing",
    "vae.spacing_linear": "linear in z",
    "vae.spacing_gaussian": "Gaussian quantiles (Kingma & Welling, fig. 4)",
    "vae.manifold_button": "Decode the grid",
    "vae.manifold_img": "Learned manifold: the decoder over a grid of z",
    "vae.manifold_caption": (
        "{n} × {n} decoded digits, {spacing}: z1 from {lo} (left) to {hi} (right), z2 from {hi} (top) to {lo} "
        "(bottom). The CNN reads {sure} of {total} pictures ({share:.0%}) as a digit with over 90% confidence; "
        "the rectangle on the map shows the area."
    ),
    "vae.endpoint_a": "From (A)",
    "vae.endpoint_b": "To (B)",
    "vae.choice_sketch": "my drawing (Encode a digit tab)",
    "vae.mode": "Interpolation",
    "vae.mode_linear": "linear: (1 - t) z_A + t z_B",
    "vae.mode_spherical": "spherical (slerp)",
    "vae.steps": "Steps N (endpoints included)",
    "vae.interp_button": "Interpolate",
    "vae.strip": "Decoded steps, A → B",
    "vae.gif": "GIF for slides (loops A → B → A)",
    "vae.interp_headers": "step|t|z1|z2|CNN reads|confidence",
    "vae.interp_table": "Each step",
    "vae.interp_caption": "{mode} interpolation in {steps} steps from μ(A) = ({a1:.2f}, {a2:.2f}) to μ(B) = ({b1:.2f}, {b2:.2f}); the path is drawn on the map.",
    "vae.source": "Input",
    "vae.source_sample": "a test digit",
    "vae.source_sketch": "my drawing",
    "vae.sample_pick": "Test digit (class · index in the MNIST test set)",
    "vae.sketch": "Draw a digit (large, centred)",
    "vae.eps_seed": "Seed for ε",
    "vae.encode_button": "Encode",
    "vae.input28": "What the encoder sees (28 × 28)",
    "vae.recon": "Reconstruction from the sampled z",
    "vae.encode_numbers": (
        "| | z1 | z2 |\n|---|---:|---:|\n"
        "| μ (encoder mean) | {mu1:.4f} | {mu2:.4f} |\n"
        "| σ = exp(½ log σ²) | {s1:.4f} | {s2:.4f} |\n"
        "| ε ~ N(0, I), seed {seed} | {e1:.4f} | {e2:.4f} |\n"
        "| **z = μ + σ · ε** | **{z1:.4f}** | **{z2:.4f}** |\n\n"
        "**Loss for this image** (nats): reconstruction (BCE summed over 784 pixels) = **{recon:.2f}**, "
        "KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²) = **{kl:.3f}**, total −ELBO = **{total:.2f}**.\n\n"
        "{judge}"
    ),
    "vae.encode_judge": "The CNN reads the input as **{inp}** ({inp_conf:.1%}) and the reconstruction as **{rec}** ({rec_conf:.1%}).",
    "vae.map_legend_encode": "Ring: μ; the second ring with label z: the sampled point.",
    "vae.intro_16d": (
        "A second VAE with a **16-D latent**: sharper digits, no single map. Each slider is one latent "
        "dimension; the prior N(0, I) puts most mass within ±2."
    ),
    "vae.decode16_button": "Decode",
    "vae.missing_16d": "The 16-D model is not installed (weights/vae16); train it with: python -m core.train vae16",
    "vae.z_length": "z needs {expected} numbers; got {got}.",
    "vae.bad_choice": "{field}: {value!r} is not one of {choices}.",
    "vae.bad_sample": "Test digit {value!r} is not one of the 200 committed samples (0 to 199).",
    "vae.field_steps": "Steps",
    "vae.field_grid": "Grid size",
    "vae.field_radius": "Range",
    "vae.field_seed": "Seed",
    "vae.field_mode": "Interpolation",
    "vae.field_spacing": "Grid spacing",
    "vae.field_source": "Input",
}

KO = {
    "vae.tab": "VAE 잠재 공간 산책",
    "vae.intro": (
        "### 2차원 잠재 공간을 가진 변분 오토인코더 (VAE, Kingma & Welling 2014)\n"
        "**인코더**는 숫자 이미지 x를 가우시안 q(z|x) = N(μ, σ²)로 보내고, **재매개변수화(reparameterization)** "
        "z = μ + σ · ε (ε ~ N(0, I))로 한 점을 뽑으며, **디코더**는 z를 다시 픽셀 확률 p(x|z)로 바꿉니다. "
        "학습은 **손실 = 재구성 항(784개 픽셀에 대해 합한 이진 교차 엔트로피) + KL(N(μ, σ²) ‖ N(0, I))**, "
        "즉 음의 ELBO를 최소화합니다. 잠재 변수가 두 개뿐이라 공간 전체가 아래 지도 한 장에 들어갑니다. "
        "디코딩된 그림이 어떤 숫자처럼 보이는지는 스튜디오의 CNN이 판정합니다."
    ),
    "vae.sec_decode": "한 점 디코딩",
    "vae.sec_manifold": "매니폴드",
    "vae.sec_interp": "보간",
    "vae.sec_encode": "숫자 인코딩",
    "vae.sec_16d": "16차원 잠재 공간",
    "vae.map": "잠재 지도: MNIST 테스트 숫자 10,000개의 μ, 클래스별 색 (클릭하면 디코딩)",
    "vae.map_help": "지도의 아무 곳이나 클릭하거나 슬라이더를 움직이면 그 점 z = (z1, z2)를 디코딩합니다.",
    "vae.z1": "z1",
    "vae.z2": "z2",
    "vae.seed": "시드",
    "vae.sample_button": "z ~ N(0, I) 샘플링",
    "vae.decoded": "디코딩된 이미지 p(x|z)",
    "vae.cnn_probs": "CNN의 판독 (소프트맥스)",
    "vae.judge_sure": "{where}: CNN은 분명한 **{digit}**(으)로 읽습니다 (확신도 {conf:.1%}).",
    "vae.judge_maybe": "{where}: CNN은 **아마도 {digit}**(으)로 읽습니다 (확신도 {conf:.1%}): 숫자들 사이의 중간 모양입니다.",
    "vae.judge_unsure": "{where}: CNN은 **숫자인지 확신하지 못합니다** (가장 가까운 답 {digit}, {conf:.1%}).",
    "vae.clamped": "시드 {seed}의 z ~ N(0, I)는 ({raw1:.2f}, {raw2:.2f})였고, 지도 범위 ±{limit} 안으로 잘랐습니다.",
    "vae.grid_n": "격자 크기 n (n × n개 숫자)",
    "vae.radius": "범위 r: z를 -r부터 +r까지",
    "vae.spacing": "격자 간격",
    "vae.spacing_linear": "z에 대해 균등",
    "vae.spacing_gaussian": "가우시안 분위수 (Kingma & Welling, 그림 4)",
    "vae.manifold_button": "격자 디코딩",
    "vae.manifold_img": "학습된 매니폴드: z 격자 위의 디코더 출력",
    "vae.manifold_caption": (
        "디코딩된 숫자 {n} × {n}개, {spacing}: z1은 {lo}(왼쪽)부터 {hi}(오른쪽)까지, z2는 {hi}(위)부터 {lo}(아래)까지. "
        "CNN은 {total}개 중 {sure}개({share:.0%})를 90% 넘는 확신도로 숫자로 읽습니다. 지도의 사각형이 이 영역입니다."
    ),
    "vae.endpoint_a": "시작 (A)",
    "vae.endpoint_b": "끝 (B)",
    "vae.choice_sketch": "내 그림 (숫자 인코딩 탭)",
    "vae.mode": "보간 방식",
    "vae.mode_linear": "선형: (1 - t) z_A + t z_B",
    "vae.mode_spherical": "구면 (slerp)",
    "vae.steps": "단계 수 N (양 끝 포함)",
    "vae.interp_button": "보간",
    "vae.strip": "디코딩된 단계, A → B",
    "vae.gif": "발표용 GIF (A → B → A 반복)",
    "vae.interp_headers": "단계|t|z1|z2|CNN 판독|확신도",
    "vae.interp_table": "단계별 값",
    "vae.interp_caption": "μ(A) = ({a1:.2f}, {a2:.2f})에서 μ(B) = ({b1:.2f}, {b2:.2f})까지 {steps}단계 {mode} 보간입니다. 경로는 지도에 그려져 있습니다.",
    "vae.source": "입력",
    "vae.source_sample": "테스트 숫자",
    "vae.source_sketch": "내 그림",
    "vae.sample_pick": "테스트 숫자 (클래스 · MNIST 테스트셋 번호)",
    "vae.sketch": "숫자를 그려 보세요 (크게, 가운데에)",
    "vae.eps_seed": "ε의 시드",
    "vae.encode_button": "인코딩",
    "vae.input28": "인코더가 보는 입력 (28 × 28)",
    "vae.recon": "샘플링한 z로부터의 재구성",
    "vae.encode_numbers": (
        "| | z1 | z2 |\n|---|---:|---:|\n"
        "| μ (인코더 평균) | {mu1:.4f} | {mu2:.4f} |\n"
        "| σ = exp(½ log σ²) | {s1:.4f} | {s2:.4f} |\n"
        "| ε ~ N(0, I), 시드 {seed} | {e1:.4f} | {e2:.4f} |\n"
        "| **z = μ + σ · ε** | **{z1:.4f}** | **{z2:.4f}** |\n\n"
        "**이 이미지의 손실** (nat): 재구성 항 (784개 픽셀 BCE의 합) = **{recon:.2f}**, "
        "KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²) = **{kl:.3f}**, 합계 −ELBO = **{total:.2f}**.\n\n"
        "{judge}"
    ),
    "vae.encode_judge": "CNN은 입력을 **{inp}**({inp_conf:.1%}), 재구성을 **{rec}**({rec_conf:.1%})(으)로 읽습니다.",
    "vae.map_legend_encode": "원: μ, z라고 적힌 두 번째 원: 샘플링한 점.",
    "vae.intro_16d": (
        "**16차원 잠재 공간**을 가진 두 번째 VAE입니다: 숫자가 더 선명하지만 지도 한 장으로는 볼 수 없습니다. "
        "슬라이더 하나가 잠재 차원 하나이며, 사전분포 N(0, I)의 대부분은 ±2 안에 있습니다."
    ),
    "vae.decode16_button": "디코딩",
    "vae.missing_16d": "16차원 모델(weights/vae16)이 설치되어 있지 않습니다. 학습하려면: python -m core.train vae16",
    "vae.z_length": "z에는 숫자 {expected}개가 필요합니다. 받은 개수: {got}",
    "vae.bad_choice": "{field}: {value!r}은(는) {choices} 중 하나가 아닙니다.",
    "vae.bad_sample": "테스트 숫자 {value!r}은(는) 저장된 샘플 200개(0부터 199) 중 하나가 아닙니다.",
    "vae.field_steps": "단계 수",
    "vae.field_grid": "격자 크기",
    "vae.field_radius": "범위",
    "vae.field_seed": "시드",
    "vae.field_mode": "보간 방식",
    "vae.field_spacing": "격자 간격",
    "vae.field_source": "입력",
}
