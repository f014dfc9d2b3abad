"""Polish normalisation shared by indexing and queries (no database needed)."""

from search.analysis import (
    LEMMATISER,
    analyse,
    analyse_query,
    edit_distance,
    fold,
    guess_stem,
    lemmas_of,
    restore_diacritics,
    tokenize,
)


def test_fold_removes_every_polish_diacritic_including_l_stroke():
    assert fold("Zażółć gęślą jaźń ŁÓDŹ") == "zazolc gesla jazn lodz"


def test_tokenize_splits_on_punctuation_and_hyphens():
    assert tokenize("diagnostyczno-kreatywne, ul. Legnicka 65!") == [
        "diagnostyczno",
        "kreatywne",
        "ul",
        "Legnicka",
        "65",
    ]


def test_morfeusz_is_the_polish_lemmatiser():
    assert LEMMATISER == "morfeusz2"


def test_inflected_forms_share_a_lemma_with_the_base_form():
    pairs = [
        ("spotkaniu", "spotkanie"),
        ("warsztatów", "warsztaty"),
        ("konsultacjach", "konsultacja"),
        ("pałacu", "pałac"),
        ("zespołów", "zespół"),
    ]
    for inflected, base in pairs:
        assert set(lemmas_of(inflected)) & set(lemmas_of(base)), (inflected, base)


def test_first_part_of_a_compound_adjective_has_the_adjectives_lemma():
    assert "diagnostyczny" in lemmas_of("diagnostyczno")  # "diagnostyczno-kreatywne"


def test_unknown_surnames_meet_through_their_guessed_stem():
    assert guess_stem("łuczewskiego") == guess_stem("łuczewski") == "łuczewsk"
    assert set(lemmas_of("Łuczewskiego")) & set(lemmas_of("Łuczewski"))


def test_diacritics_are_restored_to_dictionary_words():
    assert "warsztatów" in restore_diacritics("warsztatow")
    assert "ślubów" in restore_diacritics("slubow")
    assert restore_diacritics("2017") == ()


def test_index_forms_keep_folded_words_in_order_for_phrases():
    analysed = analyse("Spotkanie w Pałacu Ślubów")
    assert analysed.folded == "spotkanie w palacu slubow"
    assert "pałac" in analysed.lemmas.split()
    assert "palac" in analysed.lemmas.split()


def test_query_words_carry_lemmas_folded_forms_and_stopwords():
    query = analyse_query("raport z warsztatow")
    words = {w.raw: w for w in query.words}
    assert words["z"].is_stopword
    assert [w.raw for w in query.content_words] == ["raport", "warsztatow"]
    assert "warsztat" in words["warsztatow"].lemma_terms
    assert words["warsztatow"].folded_forms == ["warsztatow"]


def test_english_pages_get_english_lemmas():
    assert "meeting" in analyse("Meetings with residents", "en").lemmas.split()


def test_edit_distance_is_bounded():
    assert edit_distance("konsultcji", "konsultacji", 2) == 1
    assert edit_distance("abc", "xyzxyz", 2) == 3
