"""Per-chat turns of the bridge, and the webhook's secret check."""

from __future__ import annotations

import asyncio

import pytest

from bot.telegram.queues import Backlogged, ChatQueues
from bot.telegram.service import parse_options, secret_matches, webhook_path
from config.settings import Settings


async def test_messages_of_one_chat_are_answered_in_arrival_order() -> None:
    queues, answered = ChatQueues(backlog=10), []

    async def answer(n: int) -> None:
        async with queues.turn(7):
            await asyncio.sleep(0.01 * (5 - n))  # earlier ones are slower
            answered.append(n)

    await asyncio.gather(*(answer(n) for n in range(5)))
    assert answered == [0, 1, 2, 3, 4]


async def test_different_chats_do_not_wait_for_each_other() -> None:
    queues, order = ChatQueues(), []

    async def slow() -> None:
        async with queues.turn(1):
            await asyncio.sleep(0.2)
            order.append("slow chat")

    async def quick() -> None:
        await asyncio.sleep(0.01)
        async with queues.turn(2):
            order.append("quick chat")

    await asyncio.gather(slow(), quick())
    assert order == ["quick chat", "slow chat"]


async def test_a_flooding_chat_is_refused_beyond_its_backlog_and_told_once() -> None:
    queues, release = ChatQueues(backlog=2), asyncio.Event()
    refusals: list[bool] = []

    async def message() -> None:
        try:
            async with queues.turn(9):
                await release.wait()
        except Backlogged as refused:
            refusals.append(refused.first)

    tasks = [asyncio.create_task(message()) for _ in range(6)]
    await asyncio.sleep(0.05)
    assert queues.waiting(9) == 3  # one answered, two waiting
    assert refusals == [True, False, False]
    release.set()
    await asyncio.gather(*tasks)
    assert queues.waiting(9) == 0


async def test_the_warning_comes_again_after_the_backlog_drained() -> None:
    queues = ChatQueues(backlog=0)
    async with queues.turn(3):
        with pytest.raises(Backlogged) as first:
            async with queues.turn(3):
                pass
    assert first.value.first
    async with queues.turn(3):
        with pytest.raises(Backlogged) as again:
            async with queues.turn(3):
                pass
    assert again.value.first


@pytest.mark.parametrize(("received", "accepted"), [
    ("s3cret-token", True),
    ("s3cret-tokem", False),
    ("", False),
    (None, False),
])
def test_only_the_right_secret_token_is_accepted(received: str | None, accepted: bool) -> None:
    assert secret_matches(received, "s3cret-token") is accepted


def test_the_webhook_listens_on_the_public_urls_path() -> None:
    assert webhook_path("https://bot.example.edu/telegram/hook") == "/telegram/hook"
    assert webhook_path("https://bot.example.edu") == "/"


def test_command_line_options_override_the_settings() -> None:
    options = parse_options(
        ["--webhook-listen", "0.0.0.0:9443", "--backlog", "5", "--rasa-timeout", "3"],
        Settings(rasa_url="http://rasa:5005"),
    )
    assert (options.webhook_host, options.webhook_port) == ("0.0.0.0", 9443)
    assert (options.backlog, options.rasa_timeout, options.rasa_url) == (5, 3.0, "http://rasa:5005")
