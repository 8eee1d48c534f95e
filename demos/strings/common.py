"""Strings shared by every tab: the page header, the language switch, generic errors."""

EN = {
    "common.title": "# Deep Studio\nA deep-learning study group's weekly topic, live: change a number, see what the model does.",
    "common.language": "Language / 언어",
    "common.internal_error": "Something went wrong on the server ({detail}). The studio is still running: change the input and try again.",
    "common.timeout": "This took longer than the {seconds} s limit and was stopped. Try a smaller input.",
    "common.run": "Run",
    "common.examples": "Examples",
    "common.device": "Device",
    "common.device_info": "auto picks CUDA when present, else CPU",
    "common.device_unavailable": "The device {device!r} is not available on this server; available: {available}.",
    "common.not_a_number": "{field}: {value!r} is not a number.",
    "common.out_of_range": "{field} must be between {low} and {high}; got {value}.",
    "common.not_an_image": "That file is not an image the studio can read. Upload a PNG or JPEG.",
    "common.image_too_large": "The image is {width} x {height} pixels; the studio accepts at most {max_side} pixels on a side.",
    "common.image_downscaled": "The image was {width} x {height}; it was downscaled to {new_width} x {new_height} to keep things fast.",
    "common.empty_sketch": "The sketch is empty: draw a digit first.",
    "common.weights_missing": "The trained weights for {model} are missing or damaged ({detail}). Retrain them with: python -m core.train {model}",
}

KO = {
    "common.title": "# Deep Studio (딥 스튜디오)\n스터디 그룹의 이번 주 주제를 실시간으로: 숫자를 바꾸면 모델이 어떻게 움직이는지 바로 봅니다.",
    "common.language": "언어 / Language",
    "common.internal_error": "서버에서 문제가 생겼습니다 ({detail}). 스튜디오는 계속 동작 중이니 입력을 바꿔 다시 시도해 보세요.",
    "common.timeout": "제한 시간 {seconds}초를 넘겨 중단했습니다. 더 작은 입력으로 시도해 보세요.",
    "common.run": "실행",
    "common.examples": "예제",
    "common.device": "장치",
    "common.device_info": "auto는 CUDA가 있으면 CUDA, 없으면 CPU를 씁니다",
    "common.device_unavailable": "이 서버에서는 {device!r} 장치를 쓸 수 없습니다. 사용 가능: {available}.",
    "common.not_a_number": "{field}: {value!r}은(는) 숫자가 아닙니다.",
    "common.out_of_range": "{field}은(는) {low}부터 {high} 사이여야 합니다. 입력값: {value}",
    "common.not_an_image": "스튜디오가 읽을 수 있는 이미지 파일이 아닙니다. PNG나 JPEG를 올려 주세요.",
    "common.image_too_large": "이미지가 {width} x {height} 픽셀입니다. 한 변은 최대 {max_side} 픽셀까지 받을 수 있습니다.",
    "common.image_downscaled": "이미지가 {width} x {height}라서 빠르게 처리하려고 {new_width} x {new_height}로 줄였습니다.",
    "common.empty_sketch": "스케치가 비어 있습니다. 먼저 숫자를 그려 주세요.",
    "common.weights_missing": "{model}의 학습된 가중치가 없거나 손상되었습니다 ({detail}). 다시 학습하려면: python -m core.train {model}",
}
