"""What the tabs share and is not a tab: translation and error messages (i18n), the sample
digits (samples). Kept out of demos/<tab>.py, where every module is one Gradio tab."""
