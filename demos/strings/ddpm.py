"""DDPM Denoising tab: English and Korean."""

EN = {
    "ddpm.tab": "DDPM Denoising",
    "ddpm.intro": (
        "### DDPM: noise in, digits out\n"
        "The **forward process** adds Gaussian noise until the digit is gone; in closed form "
        "$x_t = \\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\varepsilon$ (Ho et al. 2020, eq. 4). "
        "The **reverse process** starts from pure noise and removes it step by step with a small UNet the "
        "studio trained on MNIST to predict $\\varepsilon$: ancestral sampling (Algorithm 2, T = 1000 steps) "
        "or DDIM (Song et al. 2021, 10 to 100 steps). Everything runs live, in pixel space."
    ),
    "ddpm.sec_forward": "Forward process q(x_t | x_0)",
    "ddpm.sec_reverse": "Reverse process (sampling)",
    "ddpm.source": "Digit",
    "ddpm.source_sample": "MNIST test sample",
    "ddpm.source_sketch": "my drawing",
    "ddpm.sample_pick": "Test sample (digit · test index)",
    "ddpm.sketch": "Draw a digit",
    "ddpm.schedule": "Noise schedule",
    "ddpm.schedule_linear": "linear (1e-4 to 0.02, Ho et al.)",
    "ddpm.schedule_cosine": "cosine (Nichol & Dhariwal)",
    "ddpm.t": "Timestep t (0 = the clean digit, 1000 = pure noise)",
    "ddpm.noise_seed": "Noise seed (ε)",
    "ddpm.forward_button": "Add noise",
    "ddpm.forward_picture": "x_0 (digit) · ε (noise) · x_t (what the model sees)",
    "ddpm.forward_strip": "The same digit and the same ε at t = 0, 50, 100, 200, 300, 500, 700, 1000",
    "ddpm.schedules_plot": "Schedules: linear against cosine",
    "ddpm.forward_numbers": (
        "**t = {t}** ({schedule}): β_t = {beta:.6f}, ᾱ_t = {alpha_bar:.6f}, SNR = ᾱ_t / (1 − ᾱ_t) = {snr}\n\n"
        "$x_t = \\sqrt{{\\bar\\alpha_t}}\\,x_0 + \\sqrt{{1-\\bar\\alpha_t}}\\,\\varepsilon = "
        "{signal:.4f}\\cdot x_0 + {noise:.4f}\\cdot \\varepsilon$\n\n"
        "The signal keeps {signal_pct:.1%} of its amplitude; {signal:.4f}² + {noise:.4f}² = 1, so the "
        "variance stays 1 at every step."
    ),
    "ddpm.forward_clean": "**t = 0**: no noise yet, x_t = x_0.",
    "ddpm.plot_beta": "β_t (noise added at step t)",
    "ddpm.plot_alpha_bar": "ᾱ_t (signal left)",
    "ddpm.plot_snr": "SNR = ᾱ_t / (1 − ᾱ_t)",
    "ddpm.plot_timestep": "timestep t",
    "ddpm.plot_linear": "linear",
    "ddpm.plot_cosine": "cosine",
    "ddpm.n": "Number of samples N",
    "ddpm.seed": "Seed (x_T and every z)",
    "ddpm.method": "Sampler",
    "ddpm.method_ancestral": "DDPM ancestral (Algorithm 2, T = 1000 steps)",
    "ddpm.method_ddim": "DDIM (Song et al., fewer steps)",
    "ddpm.steps": "DDIM steps",
    "ddpm.eta": "DDIM η (0 = deterministic, 1 = DDPM-like noise)",
    "ddpm.sample_button": "Sample",
    "ddpm.frame": "The chain, step by step",
    "ddpm.frame_x0": "predicted x_0",
    "ddpm.status_running": "Step {i} / {total} (t = {t}) · {seconds:.1f} s",
    "ddpm.status_done": "Done: {total} steps in {seconds:.1f} s ({method}, seed {seed}).",
    "ddpm.gallery": "Samples, as read by the studio's MNIST CNN (digit · confidence)",
    "ddpm.gif": "The whole chain as a GIF (x_t | predicted x_0)",
    "ddpm.summary": (
        "The CNN reads **{sure} of {n}** samples with confidence ≥ {threshold:.0%}. "
        "Digits read: {histogram}."
    ),
    "ddpm.model_card": (
        "Model: UNet with {parameters:,} parameters, trained {steps:,} steps ({minutes} min on CPU). "
        "Measured quality: {share:.0%} of {samples} DDIM-50 samples (seed {seed}) read with confidence ≥ 90%."
    ),
    "ddpm.field_t": "Timestep t",
    "ddpm.field_seed": "Seed",
    "ddpm.field_n": "Number of samples",
    "ddpm.field_steps": "DDIM steps",
    "ddpm.field_eta": "η",
    "ddpm.field_sample": "Test sample",
    "ddpm.bad_t": "Timestep {value!r} is not valid: use a whole number from 0 to {high}.",
    "ddpm.bad_steps": "{value!r} steps is not valid: use {low} to {high}.",
    "ddpm.bad_schedule": "Unknown noise schedule {kind!r}; choose one of: {choices}.",
    "ddpm.bad_method": "Unknown sampler {value!r}; choose one of: {choices}.",
    "ddpm.bad_source": "Unknown digit source {value!r}; choose 'sample' or 'sketch'.",
}

KO = {
    "ddpm.tab": "DDPM 디노이징",
    "ddpm.intro": (
        "### DDPM: 노이즈에서 숫자로\n"
        "**순방향 과정**은 숫자가 사라질 때까지 가우시안 노이즈를 더합니다. 닫힌 형태로는 "
        "$x_t = \\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\varepsilon$ (Ho et al. 2020, 식 4). "
        "**역방향 과정**은 순수한 노이즈에서 시작해 한 단계씩 노이즈를 걷어냅니다. 스튜디오가 MNIST로 학습한 "
        "작은 UNet이 $\\varepsilon$을 예측합니다: ancestral 샘플링(알고리즘 2, T = 1000 단계) 또는 "
        "DDIM(Song et al. 2021, 10~100 단계). 모든 계산이 픽셀 공간에서 실시간으로 실행됩니다."
    ),
    "ddpm.sec_forward": "순방향 과정 q(x_t | x_0)",
    "ddpm.sec_reverse": "역방향 과정 (샘플링)",
    "ddpm.source": "숫자",
    "ddpm.source_sample": "MNIST 테스트 샘플",
    "ddpm.source_sketch": "직접 그린 숫자",
    "ddpm.sample_pick": "테스트 샘플 (숫자 · 테스트 인덱스)",
    "ddpm.sketch": "숫자를 그려 보세요",
    "ddpm.schedule": "노이즈 스케줄",
    "ddpm.schedule_linear": "선형 (1e-4 → 0.02, Ho et al.)",
    "ddpm.schedule_cosine": "코사인 (Nichol & Dhariwal)",
    "ddpm.t": "타임스텝 t (0 = 깨끗한 숫자, 1000 = 순수한 노이즈)",
    "ddpm.noise_seed": "노이즈 시드 (ε)",
    "ddpm.forward_button": "노이즈 추가",
    "ddpm.forward_picture": "x_0 (숫자) · ε (노이즈) · x_t (모델이 보는 것)",
    "ddpm.forward_strip": "같은 숫자, 같은 ε에서 t = 0, 50, 100, 200, 300, 500, 700, 1000",
    "ddpm.schedules_plot": "스케줄 비교: 선형 대 코사인",
    "ddpm.forward_numbers": (
        "**t = {t}** ({schedule}): β_t = {beta:.6f}, ᾱ_t = {alpha_bar:.6f}, SNR = ᾱ_t / (1 − ᾱ_t) = {snr}\n\n"
        "$x_t = \\sqrt{{\\bar\\alpha_t}}\\,x_0 + \\sqrt{{1-\\bar\\alpha_t}}\\,\\varepsilon = "
        "{signal:.4f}\\cdot x_0 + {noise:.4f}\\cdot \\varepsilon$\n\n"
        "신호는 진폭의 {signal_pct:.1%}가 남아 있습니다. {signal:.4f}² + {noise:.4f}² = 1 이므로 "
        "모든 단계에서 분산이 1로 유지됩니다."
    ),
    "ddpm.forward_clean": "**t = 0**: 아직 노이즈가 없습니다. x_t = x_0.",
    "ddpm.plot_beta": "β_t (t 단계에서 더하는 노이즈)",
    "ddpm.plot_alpha_bar": "ᾱ_t (남은 신호)",
    "ddpm.plot_snr": "SNR = ᾱ_t / (1 − ᾱ_t)",
    "ddpm.plot_timestep": "타임스텝 t",
    "ddpm.plot_linear": "선형",
    "ddpm.plot_cosine": "코사인",
    "ddpm.n": "샘플 수 N",
    "ddpm.seed": "시드 (x_T와 모든 z)",
    "ddpm.method": "샘플러",
    "ddpm.method_ancestral": "DDPM ancestral (알고리즘 2, T = 1000 단계)",
    "ddpm.method_ddim": "DDIM (Song et al., 더 적은 단계)",
    "ddpm.steps": "DDIM 단계 수",
    "ddpm.eta": "DDIM η (0 = 결정적, 1 = DDPM과 같은 노이즈)",
    "ddpm.sample_button": "샘플링",
    "ddpm.frame": "단계별 체인",
    "ddpm.frame_x0": "예측한 x_0",
    "ddpm.status_running": "{i} / {total} 단계 (t = {t}) · {seconds:.1f}초",
    "ddpm.status_done": "완료: {total} 단계, {seconds:.1f}초 ({method}, 시드 {seed}).",
    "ddpm.gallery": "스튜디오의 MNIST CNN이 읽은 샘플 (숫자 · 확신도)",
    "ddpm.gif": "전체 체인 GIF (x_t | 예측한 x_0)",
    "ddpm.summary": (
        "CNN이 {n}개 중 **{sure}개**를 확신도 {threshold:.0%} 이상으로 읽었습니다. "
        "읽힌 숫자: {histogram}."
    ),
    "ddpm.model_card": (
        "모델: 파라미터 {parameters:,}개의 UNet, CPU에서 {steps:,} 단계({minutes}분) 학습. "
        "측정된 품질: DDIM 50단계 샘플 {samples}개(시드 {seed}) 중 {share:.0%}를 확신도 90% 이상으로 읽음."
    ),
    "ddpm.field_t": "타임스텝 t",
    "ddpm.field_seed": "시드",
    "ddpm.field_n": "샘플 수",
    "ddpm.field_steps": "DDIM 단계 수",
    "ddpm.field_eta": "η",
    "ddpm.field_sample": "테스트 샘플",
    "ddpm.bad_t": "타임스텝 {value!r}은(는) 올바르지 않습니다. 0부터 {high} 사이의 정수를 쓰세요.",
    "ddpm.bad_steps": "{value!r} 단계는 올바르지 않습니다. {low}부터 {high} 사이로 정하세요.",
    "ddpm.bad_schedule": "알 수 없는 노이즈 스케줄 {kind!r}입니다. 다음 중에서 고르세요: {choices}.",
    "ddpm.bad_method": "알 수 없는 샘플러 {value!r}입니다. 다음 중에서 고르세요: {choices}.",
    "ddpm.bad_source": "알 수 없는 숫자 입력 방식 {value!r}입니다. 'sample' 또는 'sketch'를 고르세요.",
}
