"""The endpoint's answer cache, on its own: its byte bound, its order, one run per question."""

import asyncio

from clinicgraph.sparql.serve.cache import Answer, ResultCache


def answer(size: int, status: int = 200) -> Answer:
    return Answer(status, "text/csv", b"x" * size)


def ask(cache: ResultCache, key, made: Answer) -> str:
    async def run():
        return made

    return asyncio.run(cache.answer(key, run))[1]


def test_the_least_recently_used_answer_goes_first_and_the_bytes_stay_bounded():
    cache = ResultCache(max_bytes=1000)  # four answers of 170 bytes fit (with 72 for each entry)
    for key in "abcd":
        assert ask(cache, key, answer(170)) == "miss"
    assert ask(cache, "a", answer(170)) == "hit"  # a is now the most recent
    assert ask(cache, "e", answer(170)) == "miss"  # a fifth is over 1000 bytes: b goes
    assert list(cache.kept) == ["c", "d", "a", "e"] and cache.bytes <= 1000
    assert ask(cache, "b", answer(170)) == "miss"


def test_errors_and_answers_over_a_quarter_of_the_cache_are_not_kept():
    cache = ResultCache(max_bytes=1000)
    ask(cache, "error", answer(10, status=406))
    ask(cache, "big", answer(300))
    assert not cache.kept and cache.bytes == 0


def test_clients_asking_the_same_question_at_once_share_one_run():
    cache = ResultCache(max_bytes=1000)
    runs = []

    async def run():
        runs.append(1)
        await asyncio.sleep(0.05)
        return answer(10)

    async def together():
        return await asyncio.gather(*(cache.answer("q", run) for _ in range(5)))

    hows = sorted(how for _, how in asyncio.run(together()))
    assert runs == [1] and hows == ["miss"] + ["shared"] * 4


def test_a_failed_run_fails_every_client_waiting_for_it_and_is_not_kept():
    cache = ResultCache(max_bytes=1000)

    async def run():
        await asyncio.sleep(0.05)
        raise ValueError("the engine said no")

    async def together():
        return await asyncio.gather(*(cache.answer("q", run) for _ in range(3)), return_exceptions=True)

    assert [str(error) for error in asyncio.run(together())] == ["the engine said no"] * 3
    assert not cache.kept and not cache.running
