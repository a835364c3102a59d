"""The only Streamlit-aware part of acplan: cached access to the store, language, page frame."""
