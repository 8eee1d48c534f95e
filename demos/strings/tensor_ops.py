"""Tensor Ops tab: English and Korean."""

EN = {
    "tensor_ops.tab": "1 · Tensor Ops",
    "tensor_ops.intro": (
        "### Week 1: tensors\nWrite PyTorch lines and see each result as PyTorch prints it, with its shape, "
        "dtype, device and size, and a picture. `t` is the curriculum's running example "
        "`torch.tensor([[1,2,3],[4,5,6],[7,8,9],[10,11,12]])`. Click an example to run it."
    ),
    "tensor_ops.snippet": "PyTorch snippet (one statement per line)",
    "tensor_ops.run": "Run ▶",
    "tensor_ops.graph_button": "Show the graph (make_fx)",
    "tensor_ops.examples": "Curriculum examples (click to run)",
    "tensor_ops.result": "Results, line by line",
    "tensor_ops.table": "Every line's tensor",
    "tensor_ops.line": "Line to draw",
    "tensor_ops.picture": "Picture of the line: operands → result",
    "tensor_ops.graph": "FX graph",
    "tensor_ops.graph_help": (
        "The snippet traced by `make_fx` (from `torch.fx.experimental.proxy_tensor`): leading lines that build a "
        "tensor from literals become the inputs, the last line's tensor the output. The second graph is "
        "functionalized (`torch.func.functionalize`, formerly `functorch.functionalize`): in-place ops such as "
        "`add_` become out-of-place `add`."
    ),
    "tensor_ops.allowed_title": "What a snippet may use",
    "tensor_ops.allowed": (
        "Literals, names you assigned earlier (plus `torch` and `t`), `+ - * / // % ** @`, comparisons, "
        "indexing and slices, `a if cond else b`, and calls to these torch functions and tensor methods, with "
        "keyword arguments. No imports, loops, `def`, `lambda`, names starting with `_`, files or network. "
        "Caps: {max_numel} elements per tensor, {max_lines} lines, {max_chars} characters, {seconds} s."
    ),
    "tensor_ops.dtype_title": "dtype table: CPU and CUDA tensor types",
    "tensor_ops.dtype_headers": "dtype|alias|bits|min|max|CPU type|CUDA type",
    "tensor_ops.batch_title": "Batch vocabulary: samples, batch size, epochs, iterations",
    "tensor_ops.n_samples": "Samples in the dataset",
    "tensor_ops.batch_size": "Batch size",
    "tensor_ops.epochs": "Epochs",
    "tensor_ops.drop_last": "drop_last (skip the smaller last batch)",
    "tensor_ops.batch_button": "Count iterations",
    "tensor_ops.batch_result": (
        "**{per_epoch}** iterations per epoch (ceil({n} / {b}){drop}), **{total}** iterations in all "
        "({per_epoch} x {e} epochs). The last batch holds {last} samples."
    ),
    "tensor_ops.batch_drop": ", floor with drop_last: {dropped} samples skipped each epoch",
    "tensor_ops.batch_positive": "{field} must be a positive whole number; got {value}.",
    "tensor_ops.facts": "shape {shape} | {dtype} | {device} | {numel} elements | {bytes} bytes",
    "tensor_ops.facts_headers": "line|name|shape|dtype|device|elements|bytes",
    "tensor_ops.device_line": "# device: {device}",
    "tensor_ops.explain_reduction": "{name} over dim {dim} (size {size}) collapses it: {before} → {after}",
    "tensor_ops.explain_reduction_all": "{name} over all {size} elements: {before} → {after}",
    "tensor_ops.explain_broadcast": (
        "broadcast: shapes {shapes} align from the right as {aligned}; size-1 dims stretch → {after}"
    ),
    "tensor_ops.explain_join": "{name} along dim {dim}: {shapes} → {after}",
    "tensor_ops.explain_shape": "{name}: {before} → {after}, the same elements in the same order",
    "tensor_ops.empty": "The snippet is empty: write a PyTorch line or click an example.",
    "tensor_ops.too_long": "The snippet has {chars} characters; the limit is {max}.",
    "tensor_ops.too_many_lines": "The snippet has {n} statements; the limit is {max}.",
    "tensor_ops.too_deep": "The snippet nests brackets or expressions deeper than {max} levels.",
    "tensor_ops.syntax": "Line {line}: this is not valid Python ({detail}).",
    "tensor_ops.statement_not_allowed": (
        "Line {line}: a {kind} statement is not allowed. Allowed: expressions and assignments such as "
        "`x = torch.ones(2, 3)`; no import, def, for, while, with, class."
    ),
    "tensor_ops.expr_not_allowed": (
        "Line {line}: {kind} is not allowed here. Allowed: literals, names, arithmetic, comparisons, "
        "indexing, torch functions and tensor methods."
    ),
    "tensor_ops.unknown_name": (
        "Line {line}: the name {name!r} is not defined. Use names you assigned earlier, `torch` or `t`."
    ),
    "tensor_ops.private_attr": "Line {line}: attributes starting with an underscore ({name!r}) are not allowed.",
    "tensor_ops.torch_not_allowed": (
        "Line {line}: {name} is not available in the studio, which runs tensor math only "
        "(see 'What a snippet may use')."
    ),
    "tensor_ops.method_not_allowed": "Line {line}: .{name} is not an allowed attribute or method here.",
    "tensor_ops.not_callable": "Line {line}: only torch functions and tensor methods can be called.",
    "tensor_ops.kwarg_not_allowed": "Line {line}: the keyword argument {name!r} is not allowed.",
    "tensor_ops.bad_target": "Line {line}: assign to a plain name (not torch, not starting with _).",
    "tensor_ops.unpack": "Line {line}: cannot unpack the value into {n} names.",
    "tensor_ops.operand_type": "Line {line}: {op} works on numbers and tensors only.",
    "tensor_ops.int_too_big": "Line {line}: this integer would have more than {bits} bits.",
    "tensor_ops.too_many_elements": (
        "Line {line}: this would make a tensor of {n} elements; the studio's limit is {max}."
    ),
    "tensor_ops.too_much_work": "Line {line}: this product needs {macs} multiply-adds; the limit is {max}.",
    "tensor_ops.memory": "The snippet holds {mb} MB of tensors; the limit is {max_mb} MB.",
    "tensor_ops.legacy_data_only": (
        "Line {line}: torch.{name} takes data here (a list such as [[1, 2]]); for sizes use torch.zeros/ones."
    ),
    "tensor_ops.torch_error": "Line {line}: PyTorch says: {detail}",
    "tensor_ops.graph_no_tensor": "The graph needs at least one tensor input, e.g. `x = torch.zeros(3)`.",
    "tensor_ops.graph_failed": "This snippet cannot be traced into a graph: {detail}",
}

KO = {
    "tensor_ops.tab": "1 · 텐서 연산",
    "tensor_ops.intro": (
        "### 1주차: 텐서\nPyTorch 코드를 한 줄씩 쓰면 PyTorch가 출력하는 그대로의 결과와 shape, dtype, 장치, 크기, "
        "그림을 보여 줍니다. `t`는 커리큘럼의 예제 텐서 "
        "`torch.tensor([[1,2,3],[4,5,6],[7,8,9],[10,11,12]])`입니다. 예제를 누르면 바로 실행됩니다."
    ),
    "tensor_ops.snippet": "PyTorch 코드 (한 줄에 한 문장)",
    "tensor_ops.run": "실행 ▶",
    "tensor_ops.graph_button": "그래프 보기 (make_fx)",
    "tensor_ops.examples": "커리큘럼 예제 (누르면 실행)",
    "tensor_ops.result": "결과 (줄마다)",
    "tensor_ops.table": "줄별 텐서 정보",
    "tensor_ops.line": "그림으로 볼 줄",
    "tensor_ops.picture": "줄의 그림: 피연산자 → 결과",
    "tensor_ops.graph": "FX 그래프",
    "tensor_ops.graph_help": (
        "`make_fx`(`torch.fx.experimental.proxy_tensor`)로 코드를 추적한 그래프입니다. 리터럴로 텐서를 만드는 앞쪽 줄이 "
        "입력, 마지막 줄의 텐서가 출력이 됩니다. 두 번째 그래프는 함수형으로 바꾼 것(`torch.func.functionalize`, "
        "예전 이름 `functorch.functionalize`)으로, `add_` 같은 in-place 연산이 `add`로 바뀝니다."
    ),
    "tensor_ops.allowed_title": "코드에서 쓸 수 있는 것",
    "tensor_ops.allowed": (
        "리터럴, 앞에서 대입한 이름(그리고 `torch`, `t`), `+ - * / // % ** @`, 비교, 인덱싱과 슬라이싱, "
        "`a if cond else b`, 아래 torch 함수와 텐서 메서드 호출(키워드 인자 포함). import, 반복문, `def`, `lambda`, "
        "`_`로 시작하는 이름, 파일·네트워크 접근은 안 됩니다. 제한: 텐서당 원소 {max_numel}개, {max_lines}줄, "
        "{max_chars}자, {seconds}초."
    ),
    "tensor_ops.dtype_title": "dtype 표: CPU와 CUDA 텐서 타입",
    "tensor_ops.dtype_headers": "dtype|별칭|비트|최솟값|최댓값|CPU 타입|CUDA 타입",
    "tensor_ops.batch_title": "배치 용어: 샘플, 배치 크기, 에폭, 이터레이션",
    "tensor_ops.n_samples": "데이터셋의 샘플 수",
    "tensor_ops.batch_size": "배치 크기",
    "tensor_ops.epochs": "에폭 수",
    "tensor_ops.drop_last": "drop_last (작은 마지막 배치 버리기)",
    "tensor_ops.batch_button": "이터레이션 세기",
    "tensor_ops.batch_result": (
        "에폭당 이터레이션 **{per_epoch}**번 (ceil({n} / {b}){drop}), 전체 **{total}**번 "
        "({per_epoch} x {e} 에폭). 마지막 배치에는 샘플 {last}개가 들어갑니다."
    ),
    "tensor_ops.batch_drop": ", drop_last이면 내림: 에폭마다 샘플 {dropped}개를 건너뜀",
    "tensor_ops.batch_positive": "{field}은(는) 1 이상의 정수여야 합니다. 입력값: {value}",
    "tensor_ops.facts": "shape {shape} | {dtype} | {device} | 원소 {numel}개 | {bytes}바이트",
    "tensor_ops.facts_headers": "줄|이름|shape|dtype|장치|원소 수|바이트",
    "tensor_ops.device_line": "# 장치: {device}",
    "tensor_ops.explain_reduction": "{name}: dim {dim}(크기 {size})을 따라 줄어들어 사라짐: {before} → {after}",
    "tensor_ops.explain_reduction_all": "{name}: 원소 {size}개 전체를 하나로: {before} → {after}",
    "tensor_ops.explain_broadcast": (
        "브로드캐스팅: shape {shapes}를 오른쪽 끝부터 맞추면 {aligned}; 크기 1인 차원이 늘어나 → {after}"
    ),
    "tensor_ops.explain_join": "{name}: dim {dim}을 따라 {shapes} → {after}",
    "tensor_ops.explain_shape": "{name}: {before} → {after}, 원소와 순서는 그대로",
    "tensor_ops.empty": "코드가 비어 있습니다. PyTorch 코드를 쓰거나 예제를 누르세요.",
    "tensor_ops.too_long": "코드가 {chars}자입니다. 최대 {max}자까지 됩니다.",
    "tensor_ops.too_many_lines": "문장이 {n}개입니다. 최대 {max}개까지 됩니다.",
    "tensor_ops.too_deep": "괄호나 식이 {max}단계보다 깊게 중첩되어 있습니다.",
    "tensor_ops.syntax": "{line}번째 줄: 올바른 파이썬 문법이 아닙니다 ({detail}).",
    "tensor_ops.statement_not_allowed": (
        "{line}번째 줄: {kind} 문은 쓸 수 없습니다. `x = torch.ones(2, 3)` 같은 식과 대입만 됩니다. "
        "import, def, for, while, with, class는 안 됩니다."
    ),
    "tensor_ops.expr_not_allowed": (
        "{line}번째 줄: 여기서는 {kind}을(를) 쓸 수 없습니다. 리터럴, 이름, 산술, 비교, 인덱싱, torch 함수와 "
        "텐서 메서드만 됩니다."
    ),
    "tensor_ops.unknown_name": (
        "{line}번째 줄: {name!r}은(는) 정의되지 않은 이름입니다. 앞에서 대입한 이름, `torch`, `t`를 쓰세요."
    ),
    "tensor_ops.private_attr": "{line}번째 줄: 밑줄로 시작하는 속성({name!r})은 쓸 수 없습니다.",
    "tensor_ops.torch_not_allowed": (
        "{line}번째 줄: 스튜디오에서는 텐서 연산만 실행하므로 {name}은(는) 쓸 수 없습니다 ('코드에서 쓸 수 있는 것' 참고)."
    ),
    "tensor_ops.method_not_allowed": "{line}번째 줄: .{name}은(는) 여기서 쓸 수 있는 속성이나 메서드가 아닙니다.",
    "tensor_ops.not_callable": "{line}번째 줄: torch 함수와 텐서 메서드만 호출할 수 있습니다.",
    "tensor_ops.kwarg_not_allowed": "{line}번째 줄: 키워드 인자 {name!r}은(는) 쓸 수 없습니다.",
    "tensor_ops.bad_target": "{line}번째 줄: 보통 이름에만 대입할 수 있습니다 (torch 불가, _로 시작 불가).",
    "tensor_ops.unpack": "{line}번째 줄: 값을 이름 {n}개로 나눌 수 없습니다.",
    "tensor_ops.operand_type": "{line}번째 줄: {op}은(는) 숫자와 텐서에만 쓸 수 있습니다.",
    "tensor_ops.int_too_big": "{line}번째 줄: 이 정수는 {bits}비트를 넘습니다.",
    "tensor_ops.too_many_elements": (
        "{line}번째 줄: 원소 {n}개짜리 텐서가 만들어집니다. 스튜디오의 제한은 {max}개입니다."
    ),
    "tensor_ops.too_much_work": "{line}번째 줄: 이 곱에는 곱셈-덧셈 {macs}번이 필요합니다. 제한은 {max}번입니다.",
    "tensor_ops.memory": "텐서가 모두 {mb} MB입니다. 제한은 {max_mb} MB입니다.",
    "tensor_ops.legacy_data_only": (
        "{line}번째 줄: 여기서 torch.{name}에는 데이터(예: [[1, 2]])만 넣을 수 있습니다. 크기로 만들 때는 "
        "torch.zeros/ones를 쓰세요."
    ),
    "tensor_ops.torch_error": "{line}번째 줄: PyTorch 오류: {detail}",
    "tensor_ops.graph_no_tensor": "그래프를 그리려면 `x = torch.zeros(3)`처럼 입력 텐서가 하나 이상 있어야 합니다.",
    "tensor_ops.graph_failed": "이 코드는 그래프로 추적할 수 없습니다: {detail}",
}
