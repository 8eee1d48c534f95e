"""Strings of the ViT Patches tab (week 9: "An Image Is Worth 16x16 Words")."""

EN = {
    "vit.tab": "ViT Patches",
    "vit.intro": (
        "### An image becomes a sequence of words\n"
        "A Vision Transformer cuts the image into **P × P patches**, flattens each into a row of "
        "P²C numbers, projects every row to D dimensions with one matrix **E**, puts a learnable "
        "**class token** in front and adds learnable **position embeddings**: "
        "z₀ = [x_class; x_p¹E; …; x_pᴺE] + E_pos. Then the Transformer encoder lets every token "
        "attend to every other, and the class token's final state is classified. "
        "The studio's ViT was trained on MNIST (28 × 28, P = 7: 16 patches + the class token)."
    ),
    "vit.input": "Image",
    "vit.source": "Image source",
    "vit.source_sample": "MNIST test digit",
    "vit.source_draw": "Draw a digit",
    "vit.source_photo": "Bundled photo",
    "vit.source_upload": "Upload",
    "vit.sample_index": "Test digit (one of the 200 committed test images)",
    "vit.sketch": "Draw one digit, large and centred",
    "vit.photo": "Photo (shipped with scikit-image)",
    "vit.upload": "Upload an image (PNG or JPEG)",
    "vit.input_note": "Digits are 28 × 28 (drawings and uploads go through MNIST's own preprocessing for the MNIST ViT); photos and uploads are centre-cropped to 224 × 224, ViT-Base's input.",
    "vit.patches_section": "1 · Patchify",
    "vit.patch_size": "Patch size P (pixels)",
    "vit.hidden": "Embedding size D",
    "vit.patchify": "Patchify",
    "vit.grid": "Patch grid (indices in raster order)",
    "vit.sequence": "The sequence the Transformer reads",
    "vit.grid_title": "{rows} × {cols} = {n} patches of {p} × {p}",
    "vit.seq_tokens": "[CLS] + {n} patch tokens: N + 1 = {t}",
    "vit.seq_matrix": "x_p: {n} patches × P²C = {k} values (each row is one flattened patch)",
    "vit.seq_index": "patch index",
    "vit.seq_value": "value within the patch (channel, row, column); black 0, white 1",
    "vit.cls": "CLS",
    "vit.shapes": (
        "**N = HW / P² = {H}·{W} / {P}² = {N}** patches ({rows} × {cols} grid), each "
        "**P²C = {P}²·{C} = {K}** numbers.\n\n"
        "| step | shape |\n|---|---|\n"
        "| image | ({H}, {W}, {C}) |\n"
        "| flattened patches x_p | ({N}, {K}) |\n"
        "| projection E (P²C → D) | ({K}, {D}), {params} parameters with the bias |\n"
        "| patch embeddings x_p E | ({N}, {D}) |\n"
        "| class token in front | ({T}, {D}) |\n"
        "| + position embeddings E_pos | ({T}, {D}) = z₀ |\n\n"
        "Self-attention compares every pair of tokens: {T}² = {pairs} scores per head and layer."
    ),
    "vit.model": "Model",
    "vit.model_mnist": "Studio ViT (MNIST, P = 7, 4 layers × 4 heads)",
    "vit.model_hub": "Pretrained ViT-Base/16 (Hugging Face, only if cached here)",
    "vit.position_section": "2 · Position embeddings",
    "vit.show_position": "Show position similarity",
    "vit.position": "Cosine similarity of position embeddings",
    "vit.position_title": "cos(E_pos[patch], E_pos[every patch]): {rows} × {cols} maps",
    "vit.position_row": "input patch row",
    "vit.position_col": "input patch column",
    "vit.position_cbar": "cosine similarity",
    "vit.position_note": (
        "Each small map belongs to one patch and shows how similar its learned position embedding "
        "is to every other patch's (the ViT paper's Fig. 7). Nobody tells the model about rows and "
        "columns; trained on enough images, nearby patches and patches in the same row or column end up "
        "similar (ViT-Base shows it clearly; the small MNIST ViT only faintly). Mean similarity to the 4 grid neighbours: **{near:.3f}**; to all other patches: **{far:.3f}**."
    ),
    "vit.attention_section": "3 · Where the class token looks",
    "vit.fusion": "Head fusion for rollout",
    "vit.fusion_info": "how the heads of a layer are combined before multiplying the layers",
    "vit.discard": "Discard ratio",
    "vit.discard_info": "zero this fraction of the weakest attention weights per layer (noise removal); 0 is the paper's rollout",
    "vit.show_attention": "Show attention",
    "vit.mosaic": "Class-token attention per layer (rows) and head (columns)",
    "vit.mosaic_title": "attention of [CLS] to each patch, each map scaled to its own maximum",
    "vit.layer": "layer",
    "vit.head": "head",
    "vit.rollout": "Attention rollout (Abnar & Zuidema 2020)",
    "vit.rollout_input": "input the model sees",
    "vit.rollout_map": "rollout: {fusion}, discard {discard:.2f}",
    "vit.prediction": "Prediction",
    "vit.attention_note": (
        "**Prediction: {label}** ({prob:.1%}). Rollout multiplies the layers' attention, each mixed "
        "half-and-half with the identity for the residual path: R = Ã_L ⋯ Ã_1, Ã = ½A + ½I "
        "(rows renormalised). The class token's row of R says how much each patch flows into the "
        "final [CLS] state. Strongest patch: #{top} (row {row}, column {col})."
    ),
    "vit.patch_not_divisible": "The patch size P = {patch} does not divide the {height} × {width} image, so the patches would not tile it. Patch sizes that work: {divisors}.",
    "vit.patch_out_of_range": "The patch size must be between {low} and {high} pixels; got {patch}.",
    "vit.too_many_patches": "P = {patch} gives {n} patches; the studio draws at most {cap}. Choose a larger patch size.",
    "vit.bad_fusion": "Unknown head fusion {fusion!r}; choose one of: {choices}.",
    "vit.bad_discard": "The discard ratio must be at least 0 and below 1; got {value}.",
    "vit.bad_source": "Unknown image source {source!r}.",
    "vit.bad_model": "Unknown model {model!r}.",
    "vit.bad_index": "Choose a test digit between 0 and {high}; got {value}.",
    "vit.bad_hidden": "The embedding size D must be a whole number between 1 and {high}; got {value}.",
    "vit.no_upload": "Upload an image first.",
    "vit.unknown_photo": "Unknown photo {name!r}; choose one of: {choices}.",
    "vit.hub_offline": "The pretrained model {model} is not in this machine's Hugging Face cache and the studio does not download at run time ({detail}). Use the studio's MNIST ViT, or cache the model beforehand (huggingface-cli download {model}).",
}

KO = {
    "vit.tab": "ViT 패치",
    "vit.intro": (
        "### 이미지가 단어의 시퀀스가 됩니다\n"
        "Vision Transformer는 이미지를 **P × P 패치**로 자르고, 각 패치를 P²C개의 숫자로 펼친 뒤 "
        "하나의 행렬 **E**로 D차원에 투영합니다. 맨 앞에 학습 가능한 **클래스 토큰**을 붙이고 "
        "학습 가능한 **위치 임베딩**을 더합니다: z₀ = [x_class; x_p¹E; …; x_pᴺE] + E_pos. "
        "이후 Transformer 인코더에서 모든 토큰이 서로에게 어텐션하고, 클래스 토큰의 마지막 상태로 분류합니다. "
        "스튜디오의 ViT는 MNIST(28 × 28, P = 7: 패치 16개 + 클래스 토큰)로 학습했습니다."
    ),
    "vit.input": "이미지",
    "vit.source": "이미지 출처",
    "vit.source_sample": "MNIST 테스트 숫자",
    "vit.source_draw": "숫자 그리기",
    "vit.source_photo": "내장 사진",
    "vit.source_upload": "업로드",
    "vit.sample_index": "테스트 숫자 (저장된 테스트 이미지 200장 중 하나)",
    "vit.sketch": "숫자 하나를 크게, 가운데에 그려 주세요",
    "vit.photo": "사진 (scikit-image 내장)",
    "vit.upload": "이미지 업로드 (PNG 또는 JPEG)",
    "vit.input_note": "숫자는 28 × 28입니다 (MNIST ViT에서는 그림과 업로드를 MNIST와 같은 방식으로 전처리합니다). 사진과 업로드는 가운데를 잘라 ViT-Base 입력 크기인 224 × 224로 맞춥니다.",
    "vit.patches_section": "1 · 패치로 나누기",
    "vit.patch_size": "패치 크기 P (픽셀)",
    "vit.hidden": "임베딩 크기 D",
    "vit.patchify": "패치로 나누기",
    "vit.grid": "패치 격자 (번호는 행 우선 순서)",
    "vit.sequence": "Transformer가 읽는 시퀀스",
    "vit.grid_title": "{rows} × {cols} = 패치 {n}개 ({p} × {p})",
    "vit.seq_tokens": "[CLS] + 패치 토큰 {n}개: N + 1 = {t}",
    "vit.seq_matrix": "x_p: 패치 {n}개 × P²C = {k}개 값 (한 행이 펼친 패치 하나)",
    "vit.seq_index": "패치 번호",
    "vit.seq_value": "패치 안의 값 (채널, 행, 열); 검정 0, 흰색 1",
    "vit.cls": "CLS",
    "vit.shapes": (
        "**N = HW / P² = {H}·{W} / {P}² = {N}**개 패치 ({rows} × {cols} 격자), 패치마다 "
        "**P²C = {P}²·{C} = {K}**개 숫자.\n\n"
        "| 단계 | 모양 |\n|---|---|\n"
        "| 이미지 | ({H}, {W}, {C}) |\n"
        "| 펼친 패치 x_p | ({N}, {K}) |\n"
        "| 투영 E (P²C → D) | ({K}, {D}), 편향 포함 파라미터 {params}개 |\n"
        "| 패치 임베딩 x_p E | ({N}, {D}) |\n"
        "| 맨 앞에 클래스 토큰 | ({T}, {D}) |\n"
        "| + 위치 임베딩 E_pos | ({T}, {D}) = z₀ |\n\n"
        "셀프 어텐션은 모든 토큰 쌍을 비교합니다: 헤드와 층마다 {T}² = {pairs}개 점수."
    ),
    "vit.model": "모델",
    "vit.model_mnist": "스튜디오 ViT (MNIST, P = 7, 4층 × 4헤드)",
    "vit.model_hub": "사전학습 ViT-Base/16 (Hugging Face, 이 컴퓨터에 캐시된 경우만)",
    "vit.position_section": "2 · 위치 임베딩",
    "vit.show_position": "위치 유사도 보기",
    "vit.position": "위치 임베딩의 코사인 유사도",
    "vit.position_title": "cos(E_pos[패치], E_pos[모든 패치]): {rows} × {cols}개 지도",
    "vit.position_row": "입력 패치 행",
    "vit.position_col": "입력 패치 열",
    "vit.position_cbar": "코사인 유사도",
    "vit.position_note": (
        "작은 지도 하나가 패치 하나에 해당하며, 그 패치의 학습된 위치 임베딩이 다른 모든 패치와 얼마나 "
        "비슷한지 보여 줍니다 (ViT 논문 그림 7). 모델에 행과 열을 알려 주지 않지만, 충분한 이미지로 학습하면 "
        "가까운 패치, 같은 행이나 열의 패치끼리 비슷해집니다 (ViT-Base에서는 뚜렷하고, 작은 MNIST ViT에서는 희미합니다). 격자 이웃 4개와의 평균 유사도: **{near:.3f}**, 다른 모든 패치와: **{far:.3f}**."
    ),
    "vit.attention_section": "3 · 클래스 토큰은 어디를 보는가",
    "vit.fusion": "롤아웃의 헤드 합치기",
    "vit.fusion_info": "층을 곱하기 전에 한 층의 헤드들을 합치는 방법",
    "vit.discard": "버리는 비율",
    "vit.discard_info": "층마다 가장 약한 어텐션 가중치를 이 비율만큼 0으로 만듭니다 (잡음 제거). 0이면 논문의 롤아웃",
    "vit.show_attention": "어텐션 보기",
    "vit.mosaic": "층(행)과 헤드(열)별 클래스 토큰 어텐션",
    "vit.mosaic_title": "[CLS]가 각 패치에 주는 어텐션, 지도마다 자기 최댓값으로 정규화",
    "vit.layer": "층",
    "vit.head": "헤드",
    "vit.rollout": "어텐션 롤아웃 (Abnar & Zuidema 2020)",
    "vit.rollout_input": "모델이 보는 입력",
    "vit.rollout_map": "롤아웃: {fusion}, 버림 {discard:.2f}",
    "vit.prediction": "예측",
    "vit.attention_note": (
        "**예측: {label}** ({prob:.1%}). 롤아웃은 잔차 경로를 위해 각 층의 어텐션을 항등행렬과 반반 섞은 뒤 "
        "층들을 곱합니다: R = Ã_L ⋯ Ã_1, Ã = ½A + ½I (행 다시 정규화). R의 클래스 토큰 행은 각 패치가 "
        "마지막 [CLS] 상태로 얼마나 흘러드는지 말해 줍니다. 가장 강한 패치: #{top} ({row}행, {col}열)."
    ),
    "vit.patch_not_divisible": "패치 크기 P = {patch}는 {height} × {width} 이미지를 나누어떨어지게 하지 않아 패치로 빈틈없이 덮을 수 없습니다. 가능한 패치 크기: {divisors}.",
    "vit.patch_out_of_range": "패치 크기는 {low}부터 {high} 픽셀 사이여야 합니다. 입력값: {patch}",
    "vit.too_many_patches": "P = {patch}이면 패치가 {n}개입니다. 스튜디오는 최대 {cap}개까지 그립니다. 더 큰 패치 크기를 고르세요.",
    "vit.bad_fusion": "알 수 없는 헤드 합치기 {fusion!r}입니다. 다음 중에서 고르세요: {choices}.",
    "vit.bad_discard": "버리는 비율은 0 이상 1 미만이어야 합니다. 입력값: {value}",
    "vit.bad_source": "알 수 없는 이미지 출처 {source!r}입니다.",
    "vit.bad_model": "알 수 없는 모델 {model!r}입니다.",
    "vit.bad_index": "0부터 {high} 사이의 테스트 숫자를 고르세요. 입력값: {value}",
    "vit.bad_hidden": "임베딩 크기 D는 1부터 {high} 사이의 정수여야 합니다. 입력값: {value}",
    "vit.no_upload": "먼저 이미지를 업로드하세요.",
    "vit.unknown_photo": "알 수 없는 사진 {name!r}입니다. 다음 중에서 고르세요: {choices}.",
    "vit.hub_offline": "사전학습 모델 {model}이(가) 이 컴퓨터의 Hugging Face 캐시에 없고, 스튜디오는 실행 중에 내려받지 않습니다 ({detail}). 스튜디오의 MNIST ViT를 쓰거나, 미리 모델을 캐시해 두세요 (huggingface-cli download {model}).",
}
