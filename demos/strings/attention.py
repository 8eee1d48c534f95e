"""Strings of the Attention Maps tab (week 9: attention, Transformer, BERT)."""

EN = {
    "attention.tab": "Attention Maps",
    "attention.intro": (
        "## Attention Maps: a real pretrained transformer, head by head\n"
        "Type a sentence: **MiniLM-L6** (a BERT encoder, 6 layers x 12 heads, shipped with the studio, offline) "
        "reads it and every head's attention is drawn. Each row of attention is a softmax over the keys: "
        "`softmax(q·k / √d_k)`. Below: the Q·K arithmetic for one token, a from-scratch toy, and why attention costs O(n²)."
    ),
    "attention.sentence": "Sentence",
    "attention.model": "Model (Hugging Face id)",
    "attention.model_info": "Empty = bundled MiniLM-L6 (offline). Any BERT-like encoder or GPT-2-like decoder id works when it is cached or the server is online.",
    "attention.show": "Show attention",
    "attention.layer": "Layer",
    "attention.head": "Head (heatmap and Q·K)",
    "attention.head_mean": "mean of all heads",
    "attention.heads": "Heads in the head view",
    "attention.threshold": "Hide weights below",
    "attention.hide_special": "Hide [CLS]/[SEP]",
    "attention.query": "Query token",
    "attention.query_all": "all tokens",
    "attention.head_view": "Head view: query (left) → key (right), one colour per head",
    "attention.model_view": "Model view: layers × heads (click a cell to enlarge it)",
    "attention.heatmap": "One head: query rows × key columns",
    "attention.head_view_title": "Layer {layer}, heads {heads}",
    "attention.heatmap_title": "Layer {layer}, head {head}",
    "attention.heatmap_title_mean": "Layer {layer}, mean of {n} heads",
    "attention.axis_query": "query",
    "attention.axis_key": "key",
    "attention.summary": (
        "**{model}**: {n} tokens, {layers} layers × {heads} heads, {kind}. "
        "Layer {layer}: on average **{share:.0%}** of attention goes to special tokens ({specials})."
    ),
    "attention.kind_encoder": "encoder (every token sees every token)",
    "attention.kind_decoder": "decoder (causal: a token sees only itself and earlier tokens)",
    "attention.hidden_note": "Special tokens are hidden, so rows no longer sum to 1: what is missing went to them.",
    "attention.threshold_note": "Weights below {threshold:.2f} are shown as 0.",
    "attention.korean_note": (
        "⚠️ MiniLM's vocabulary is English: it breaks Hangul into jamo pieces (ᄀ, ##ᅡ) or [UNK], so these heads "
        "see letters, not words. For Korean, enter a multilingual model such as `bert-base-multilingual-cased` "
        "or `klue/bert-base` in the model box (needs the model cached or the server online)."
    ),
    "attention.qk_title": "### Q·K for one query token\nThe row of attention recomputed from the model's own weights: q = h W_q + b_q, k = h W_k + b_k, then softmax(q·k / √d_k).",
    "attention.qk_run": "Recompute Q·K",
    "attention.qk_summary": (
        "Layer {layer}, head {head}, query **{token}** (#{index}): d_k = {dk}, scale 1/√d_k = {scale:.5f}. "
        "Largest difference from the model's own attention: **{diff:.1e}**."
    ),
    "attention.qk_mean_note": "The heatmap shows the mean of heads; Q·K needs one head, so head 1 is used.",
    "attention.qk_all_note": "No query token chosen: the first ordinary token is used.",
    "attention.qk_q": "q ({k} of {dk} numbers): `{values}` · |q| = {norm:.3f}",
    "attention.qk_key": "key token",
    "attention.qk_dot": "q·k",
    "attention.qk_scaled": "q·k / √d_k",
    "attention.qk_softmax": "softmax",
    "attention.qk_model": "model's attention",
    "attention.qk_k": "k (first 4 of {dk})",
    "attention.qk_recomputed": "recomputed",
    "attention.qk_masked": "masked (future)",
    "attention.toy_title": "### From scratch: scaled dot-product attention\nEdit Q, K, V (one row per token; numbers separated by spaces or commas). `softmax(Q Kᵀ / √d_k + M) V`, checked against `torch.nn.functional.scaled_dot_product_attention`.",
    "attention.toy_q": "Q (queries)",
    "attention.toy_k": "K (keys)",
    "attention.toy_v": "V (values)",
    "attention.toy_causal": "Causal mask (decoder: no looking ahead)",
    "attention.toy_run": "Compute",
    "attention.toy_scores": "Q Kᵀ",
    "attention.toy_scaled": "Q Kᵀ / √d_k (masked)",
    "attention.toy_weights": "softmax weights",
    "attention.toy_output": "output = weights · V",
    "attention.toy_summary": "d_k = {dk}, 1/√d_k = {scale:.5f}. Same result as PyTorch's scaled_dot_product_attention: largest difference {diff:.1e}.",
    "attention.cost_title": "### The cost: O(n²) attention against an O(n) scan\nSelf-attention compares every token with every token; a linear recurrence (Mamba's selective scan) carries a fixed-size state. Counted for the sequence-mixing step of one layer.",
    "attention.cost_n": "Longest sequence n",
    "attention.cost_d": "Model width d",
    "attention.cost_heads": "Heads h",
    "attention.cost_measure": "Also time both on this server",
    "attention.cost_run": "Compare",
    "attention.cost_flops": "FLOPs",
    "attention.cost_bytes": "memory (bytes)",
    "attention.cost_seconds": "measured time (s)",
    "attention.cost_attn": "self-attention O(n²)",
    "attention.cost_scan": "linear scan O(n)",
    "attention.cost_summary": (
        "At n = {n}: attention {af:.2e} FLOPs and {ab} (the h·n² scores plus K and V), the scan {sf:.2e} FLOPs and {sb} of state. "
        "Doubling n multiplies attention's cost by 4 and the scan's by 2."
    ),
    "attention.cost_measured": "Measured here (one head, d = {d}): when n doubled from {n0} to {n1}, attention took ×{ga:.1f} the time and the scan ×{gs:.1f} (slopes {sa:.2f} and {ss:.2f} on log-log axes; 2 = quadratic, 1 = linear). The Python-loop scan pays a fixed cost per step, so attention's optimised matrix product wins at small n.",
    "attention.cost_not_measured": "Timing skipped (tick the box to measure on this server).",
    # errors
    "attention.empty": "Type a sentence first.",
    "attention.too_long": "The text has {n} characters; the studio reads at most {cap}.",
    "attention.too_many_tokens": "The sentence is {n} tokens long; the studio shows at most {cap} tokens (attention maps grow as n²). Shorten it.",
    "attention.only_special": "Only special tokens are left once [CLS]/[SEP] are hidden: untick 'Hide [CLS]/[SEP]'.",
    "attention.bad_model_id": "{model!r} is not a Hugging Face model id (like 'bert-base-uncased' or 'owner/name').",
    "attention.hub_offline": "The model {model!r} is not cached here and the Hugging Face hub cannot be reached (offline?). The bundled MiniLM-L6 works offline: leave the model box empty.",
    "attention.hub_not_found": "The Hugging Face hub has no public model {model!r} (or it is gated).",
    "attention.hub_too_large": "{model!r} has {mb} MB of weights; this studio loads at most {cap} MB.",
    "attention.hub_unsupported": "{model!r} is not a model this tab can show: use a BERT-like encoder or a GPT-2-like decoder (encoder-decoder models such as T5 are not supported).",
    "attention.qk_unsupported": "Recomputing Q·K is implemented for BERT-like encoders and GPT-2; this model is a {model}.",
    "attention.index_range": "{field} {value} is out of range: it must be between 1 and {high}.",
    "attention.toy_empty": "{name} is empty: type one row of numbers per token.",
    "attention.toy_not_number": "{name}: {value!r} is not a number.",
    "attention.toy_out_of_range": "{name}: {value} is not a finite number of size at most {cap:g}.",
    "attention.toy_too_big": "{name} is too big: the toy takes at most {rows} rows and {cols} columns.",
    "attention.toy_ragged": "{name}: every row needs the same number of entries.",
    "attention.toy_dk_mismatch": "Q has {dq} columns and K has {dk}: queries and keys need the same length d_k.",
    "attention.toy_kv_mismatch": "K has {nk} rows and V has {nv}: one value per key.",
    "attention.toy_causal_square": "A causal mask needs as many queries as keys (Q has {nq} rows, K has {nk}).",
    "attention.cost_range": "{field} must be between {low} and {high}; got {value}.",
    "attention.cost_width": "The width d = {d} must be between 1 and {dmax} and divisible by the number of heads h = {h} (h from 1 to 64).",
}

KO = {
    "attention.tab": "어텐션 맵",
    "attention.intro": (
        "## 어텐션 맵: 사전학습된 실제 트랜스포머를 헤드별로\n"
        "문장을 입력하면 **MiniLM-L6**(BERT 인코더, 6층 x 12헤드, 스튜디오에 포함되어 오프라인으로 동작)이 읽고 "
        "모든 헤드의 어텐션을 그립니다. 어텐션의 각 행은 키에 대한 softmax입니다: `softmax(q·k / √d_k)`. "
        "아래에는 한 토큰의 Q·K 계산, 밑바닥부터 구현한 예제, 그리고 어텐션 비용이 O(n²)인 이유가 있습니다."
    ),
    "attention.sentence": "문장",
    "attention.model": "모델 (Hugging Face id)",
    "attention.model_info": "비우면 내장 MiniLM-L6(오프라인). 캐시에 있거나 서버가 온라인이면 BERT 계열 인코더나 GPT-2 계열 디코더 id를 쓸 수 있습니다.",
    "attention.show": "어텐션 보기",
    "attention.layer": "층 (layer)",
    "attention.head": "헤드 (히트맵과 Q·K)",
    "attention.head_mean": "모든 헤드의 평균",
    "attention.heads": "헤드 뷰에 그릴 헤드",
    "attention.threshold": "이 값보다 작은 가중치 숨기기",
    "attention.hide_special": "[CLS]/[SEP] 숨기기",
    "attention.query": "쿼리 토큰",
    "attention.query_all": "모든 토큰",
    "attention.head_view": "헤드 뷰: 쿼리(왼쪽) → 키(오른쪽), 헤드마다 다른 색",
    "attention.model_view": "모델 뷰: 층 × 헤드 (칸을 클릭하면 크게 봅니다)",
    "attention.heatmap": "헤드 하나: 쿼리 행 × 키 열",
    "attention.head_view_title": "{layer}층, 헤드 {heads}",
    "attention.heatmap_title": "{layer}층, 헤드 {head}",
    "attention.heatmap_title_mean": "{layer}층, 헤드 {n}개의 평균",
    "attention.axis_query": "쿼리",
    "attention.axis_key": "키",
    "attention.summary": (
        "**{model}**: 토큰 {n}개, {layers}층 × {heads}헤드, {kind}. "
        "{layer}층에서는 어텐션의 평균 {share:.0%}가 특수 토큰({specials})으로 갑니다."
    ),
    "attention.kind_encoder": "인코더 (모든 토큰이 모든 토큰을 봄)",
    "attention.kind_decoder": "디코더 (인과적: 자신과 앞의 토큰만 봄)",
    "attention.hidden_note": "특수 토큰을 숨겼으므로 행의 합이 1이 아닙니다. 모자란 만큼은 특수 토큰으로 간 어텐션입니다.",
    "attention.threshold_note": "{threshold:.2f}보다 작은 가중치는 0으로 표시합니다.",
    "attention.korean_note": (
        "⚠️ MiniLM의 어휘는 영어라서 한글을 자모 조각(ᄀ, ##ᅡ)이나 [UNK]로 쪼갭니다. 그래서 이 헤드들은 단어가 아니라 "
        "글자 조각을 봅니다. 한국어는 모델 칸에 `bert-base-multilingual-cased`나 `klue/bert-base` 같은 다국어 모델을 "
        "입력해 보세요 (모델이 캐시에 있거나 서버가 온라인이어야 합니다)."
    ),
    "attention.qk_title": "### 쿼리 토큰 하나의 Q·K\n모델 자신의 가중치로 어텐션 한 행을 다시 계산합니다: q = h W_q + b_q, k = h W_k + b_k, 그다음 softmax(q·k / √d_k).",
    "attention.qk_run": "Q·K 다시 계산",
    "attention.qk_summary": (
        "{layer}층, 헤드 {head}, 쿼리 **{token}** (#{index}): d_k = {dk}, 스케일 1/√d_k = {scale:.5f}. "
        "모델이 돌려준 어텐션과의 최대 차이: **{diff:.1e}**."
    ),
    "attention.qk_mean_note": "히트맵은 헤드 평균을 보여 주지만 Q·K는 헤드 하나가 필요하므로 헤드 1을 씁니다.",
    "attention.qk_all_note": "쿼리 토큰을 고르지 않아 첫 번째 일반 토큰을 씁니다.",
    "attention.qk_q": "q ({dk}개 중 {k}개): `{values}` · |q| = {norm:.3f}",
    "attention.qk_key": "키 토큰",
    "attention.qk_dot": "q·k",
    "attention.qk_scaled": "q·k / √d_k",
    "attention.qk_softmax": "softmax",
    "attention.qk_model": "모델의 어텐션",
    "attention.qk_k": "k ({dk}개 중 처음 4개)",
    "attention.qk_recomputed": "다시 계산",
    "attention.qk_masked": "마스크됨 (미래)",
    "attention.toy_title": "### 밑바닥부터: 스케일드 닷-프로덕트 어텐션\nQ, K, V를 고쳐 보세요 (토큰마다 한 행, 숫자는 공백이나 쉼표로 구분). `softmax(Q Kᵀ / √d_k + M) V`를 `torch.nn.functional.scaled_dot_product_attention`과 비교합니다.",
    "attention.toy_q": "Q (쿼리)",
    "attention.toy_k": "K (키)",
    "attention.toy_v": "V (값)",
    "attention.toy_causal": "인과 마스크 (디코더: 앞을 미리 보지 않음)",
    "attention.toy_run": "계산",
    "attention.toy_scores": "Q Kᵀ",
    "attention.toy_scaled": "Q Kᵀ / √d_k (마스크 적용)",
    "attention.toy_weights": "softmax 가중치",
    "attention.toy_output": "출력 = 가중치 · V",
    "attention.toy_summary": "d_k = {dk}, 1/√d_k = {scale:.5f}. PyTorch scaled_dot_product_attention과 같은 결과: 최대 차이 {diff:.1e}.",
    "attention.cost_title": "### 비용: O(n²) 어텐션 대 O(n) 스캔\n셀프 어텐션은 모든 토큰을 모든 토큰과 비교하고, 선형 순환(Mamba의 selective scan)은 크기가 고정된 상태를 들고 갑니다. 한 층의 시퀀스 혼합 단계만 셉니다.",
    "attention.cost_n": "가장 긴 시퀀스 길이 n",
    "attention.cost_d": "모델 너비 d",
    "attention.cost_heads": "헤드 수 h",
    "attention.cost_measure": "이 서버에서 실제 시간도 재기",
    "attention.cost_run": "비교",
    "attention.cost_flops": "FLOPs",
    "attention.cost_bytes": "메모리 (바이트)",
    "attention.cost_seconds": "측정 시간 (초)",
    "attention.cost_attn": "셀프 어텐션 O(n²)",
    "attention.cost_scan": "선형 스캔 O(n)",
    "attention.cost_summary": (
        "n = {n}일 때: 어텐션은 {af:.2e} FLOPs와 {ab} (h·n² 점수 행렬과 K, V), 스캔은 {sf:.2e} FLOPs와 상태 {sb}. "
        "n을 두 배로 하면 어텐션 비용은 4배, 스캔은 2배가 됩니다."
    ),
    "attention.cost_measured": "이 서버에서 측정 (헤드 1개, d = {d}): n이 {n0}에서 {n1}로 두 배가 될 때 어텐션 시간은 ×{ga:.1f}, 스캔은 ×{gs:.1f} (로그-로그 기울기 {sa:.2f}와 {ss:.2f}; 2 = 이차, 1 = 선형). 파이썬 루프 스캔은 단계마다 고정 비용이 있어서 n이 작을 때는 최적화된 행렬 곱을 쓰는 어텐션이 더 빠릅니다.",
    "attention.cost_not_measured": "시간 측정은 건너뛰었습니다 (체크하면 이 서버에서 잽니다).",
    # errors
    "attention.empty": "먼저 문장을 입력하세요.",
    "attention.too_long": "텍스트가 {n}자입니다. 최대 {cap}자까지 읽습니다.",
    "attention.too_many_tokens": "문장이 토큰 {n}개입니다. 어텐션 맵은 n²으로 커지므로 최대 {cap}개 토큰까지 보여 줍니다. 문장을 줄여 주세요.",
    "attention.only_special": "[CLS]/[SEP]를 숨기면 특수 토큰만 남습니다. '[CLS]/[SEP] 숨기기'를 해제하세요.",
    "attention.bad_model_id": "{model!r}은(는) Hugging Face 모델 id가 아닙니다 ('bert-base-uncased'나 'owner/name' 형식).",
    "attention.hub_offline": "모델 {model!r}이(가) 이 서버의 캐시에 없고 Hugging Face 허브에도 접속할 수 없습니다 (오프라인?). 내장 MiniLM-L6은 오프라인으로 동작하니 모델 칸을 비워 두세요.",
    "attention.hub_not_found": "Hugging Face 허브에 공개 모델 {model!r}이(가) 없습니다 (또는 접근 제한 모델입니다).",
    "attention.hub_too_large": "{model!r}의 가중치는 {mb} MB입니다. 이 스튜디오는 최대 {cap} MB까지 불러옵니다.",
    "attention.hub_unsupported": "{model!r}은(는) 이 탭에서 보여 줄 수 없는 모델입니다. BERT 계열 인코더나 GPT-2 계열 디코더를 쓰세요 (T5 같은 인코더-디코더는 지원하지 않습니다).",
    "attention.qk_unsupported": "Q·K 재계산은 BERT 계열 인코더와 GPT-2에 구현되어 있습니다. 이 모델은 {model}입니다.",
    "attention.index_range": "{field} {value}은(는) 범위를 벗어났습니다. 1부터 {high} 사이여야 합니다.",
    "attention.toy_empty": "{name}이(가) 비어 있습니다. 토큰마다 숫자 한 행을 입력하세요.",
    "attention.toy_not_number": "{name}: {value!r}은(는) 숫자가 아닙니다.",
    "attention.toy_out_of_range": "{name}: {value}은(는) 절댓값 {cap:g} 이하의 유한한 수가 아닙니다.",
    "attention.toy_too_big": "{name}이(가) 너무 큽니다. 최대 {rows}행 {cols}열까지 받습니다.",
    "attention.toy_ragged": "{name}: 모든 행의 항목 수가 같아야 합니다.",
    "attention.toy_dk_mismatch": "Q는 {dq}열, K는 {dk}열입니다. 쿼리와 키의 길이 d_k가 같아야 합니다.",
    "attention.toy_kv_mismatch": "K는 {nk}행, V는 {nv}행입니다. 키마다 값이 하나씩 있어야 합니다.",
    "attention.toy_causal_square": "인과 마스크는 쿼리와 키의 개수가 같아야 합니다 (Q {nq}행, K {nk}행).",
    "attention.cost_range": "{field}은(는) {low}부터 {high} 사이여야 합니다. 입력값: {value}",
    "attention.cost_width": "너비 d = {d}은(는) 1부터 {dmax} 사이이고 헤드 수 h = {h}로 나누어떨어져야 합니다 (h는 1부터 64).",
}
