"""The Telegram bridge's handlers: Telegram updates in, Rasa's answers out.

Every chat is one Rasa conversation (``sender`` = chat id). The bridge adds the metadata
the actions read (channel, update id for idempotency, the /lang choice), shows a typing
indicator while Rasa works, turns buttons into inline keyboards, records how to reach
the person again (chat id) in the case store, and pushes the outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.telegram import texts
from bot.telegram.messages import (
    CHANNEL,
    INSTITUTION_PREFIX,
    KEY_PREFIX,
    LANGUAGE_PREFIX,
    PAYLOAD_PREFIX,
    Button,
    Reply,
    choose_institution_payload,
    choose_language_payload,
    long_payloads,
    rasa_metadata,
    to_telegram,
)
from bot.telegram.outbox import DEFAULT_POLL_SECONDS, push_forever
from bot.telegram.queues import Backlogged, ChatQueues
from bot.telegram.rasa import RasaClient, RasaUnavailable
from casestore.cases import get_or_create_person
from knowledge import INSTITUTION_CODES
from knowledge import institution as institution_profile

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
TYPING_REFRESH_SECONDS = 4.5  # Telegram shows "typing…" for about five seconds
PAYLOADS = "payloads"  # bot_data key: long button payloads by key

COMMANDS: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    "en": (
        ("start", "Welcome; choose language and university"),
        ("help", "What I can do"),
        ("lang", "English or 中文"),
        ("requests", "My requests to the office"),
        ("reminders", "My reminders"),
    ),
    "zh": (
        ("start", "欢迎；选择语言和学校"),
        ("help", "我能做什么"),
        ("lang", "选择语言"),
        ("requests", "我的申请"),
        ("reminders", "我的提醒"),
    ),
})


def markup(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Telegram's inline keyboard for rows of buttons (None for no buttons)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.title, callback_data=b.callback_data) for b in row]
         for row in rows]
    )


def language_rows() -> tuple[tuple[Button, ...], ...]:
    """The English / 中文 choice."""
    return (tuple(Button(title, LANGUAGE_PREFIX + code)
                  for code, title in texts.LANGUAGE_BUTTONS.items()),)


def institution_rows(language: str | None) -> tuple[tuple[Button, ...], ...]:
    """One button per institution whose regulations the assistant knows."""
    rows = []
    for code in INSTITUTION_CODES:
        name = institution_profile(code).name
        title = name.get(language) if language else f"{name.en} · {name.zh}"
        rows.append((Button(title, INSTITUTION_PREFIX + code),))
    return tuple(rows)


def chosen_language(context: Context) -> str | None:
    """The chat's /lang choice, if the person made one."""
    chat_data = context.chat_data
    value = chat_data.get("language") if chat_data is not None else None
    return value if value in texts.LANGUAGE_BUTTONS else None


def greeting_language(update: Update, context: Context) -> str | None:
    """The chat's choice, else what the person's Telegram app is set to (zh or en only)."""
    choice = chosen_language(context)
    if choice is not None:
        return choice
    code = (update.effective_user.language_code or "") if update.effective_user else ""
    return "zh" if code.startswith("zh") else None


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Shows "typing…" in the chat for as long as the block runs."""

    async def keep_typing() -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
            await asyncio.sleep(TYPING_REFRESH_SECONDS)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class Bridge:
    """The handlers of the bot and the state they share (Rasa client, turns, case store)."""

    def __init__(
        self,
        rasa: RasaClient,
        sessions: sessionmaker[Session] | None,
        queues: ChatQueues | None = None,
        outbox_poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        """``sessions``: the case store (None: no reach recording and no pushes)."""
        self._rasa = rasa
        self._sessions = sessions
        self._queues = queues or ChatQueues()
        self._outbox_poll_seconds = outbox_poll_seconds
        self._known_chats: set[int] = set()
        self._pusher: asyncio.Task[None] | None = None

    def install(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Registers every handler on ``application``."""
        application.add_handler(CommandHandler("start", self.start))
        application.add_handler(CommandHandler("help", self.help))
        application.add_handler(CommandHandler("lang", self.choose_language))
        application.add_handler(CommandHandler("requests", self.my_requests))
        application.add_handler(CommandHandler("reminders", self.my_reminders))
        new = filters.UpdateType.MESSAGE  # edits of earlier messages are not answered again
        application.add_handler(MessageHandler(new & filters.COMMAND, self.help))
        application.add_handler(MessageHandler(new & filters.TEXT, self.text))
        application.add_handler(CallbackQueryHandler(self.button))
        application.add_handler(MessageHandler(new & ~filters.TEXT, self.not_text))
        application.add_error_handler(self.error)

    async def on_startup(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Announces the commands and starts pushing the outbox."""
        for language, commands in COMMANDS.items():
            await application.bot.set_my_commands(
                [BotCommand(name, about) for name, about in commands],
                language_code=None if language == "en" else language,
            )
        if self._sessions is not None:
            self._pusher = asyncio.create_task(
                push_forever(application.bot, self._sessions, self._outbox_poll_seconds)
            )
        log.info("Telegram bridge ready as @%s", application.bot.username)

    async def on_shutdown(self, _application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Stops the outbox pusher and closes the Rasa client."""
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        await self._rasa.close()

    async def start(self, update: Update, context: Context) -> None:
        """/start: welcome, language and university choice."""
        if update.effective_chat is None:
            return
        language = greeting_language(update, context)
        rows = language_rows() + institution_rows(language)
        await context.bot.send_message(
            update.effective_chat.id, texts.WELCOME.chosen(language), reply_markup=markup(rows)
        )

    async def help(self, update: Update, context: Context) -> None:
        """/help (and unknown commands): the commands, then Rasa's own help with buttons."""
        if update.effective_chat is None:
            return
        language = greeting_language(update, context)
        await context.bot.send_message(update.effective_chat.id, texts.HELP.chosen(language))
        await self.converse(context, update.effective_chat.id, update.update_id, "/help")

    async def choose_language(self, update: Update, context: Context) -> None:
        """/lang: English or 中文."""
        if update.effective_chat is None:
            return
        await context.bot.send_message(
            update.effective_chat.id,
            texts.CHOOSE_LANGUAGE.chosen(chosen_language(context)),
            reply_markup=markup(language_rows()),
        )

    async def my_requests(self, update: Update, context: Context) -> None:
        """/requests: the person's cases, from the action that lists them."""
        if update.effective_chat is not None:
            await self.converse(
                context, update.effective_chat.id, update.update_id, "/ask_case_status"
            )

    async def my_reminders(self, update: Update, context: Context) -> None:
        """/reminders: the person's document-expiry reminders, as Rasa lists them."""
        if update.effective_chat is not None:
            await self.converse(
                context, update.effective_chat.id, update.update_id, "/list_reminders"
            )

    async def text(self, update: Update, context: Context) -> None:
        """A text message: Rasa answers it."""
        message = update.effective_message
        if update.effective_chat is None or message is None or not message.text:
            return
        await self.converse(context, update.effective_chat.id, update.update_id, message.text)

    async def not_text(self, update: Update, context: Context) -> None:
        """Photos, stickers, voice...: say that only text is read."""
        if update.effective_chat is not None and update.effective_message is not None:
            await context.bot.send_message(
                update.effective_chat.id, texts.TEXT_ONLY.chosen(greeting_language(update, context))
            )

    async def button(self, update: Update, context: Context) -> None:
        """A tap on an inline button: acknowledge it, remove the keyboard, act on it."""
        query = update.callback_query
        if query is None or update.effective_chat is None:
            return
        with contextlib.suppress(TelegramError):  # a tap answered late is still acted on
            await query.answer()
        with contextlib.suppress(TelegramError):  # already edited by an earlier tap
            await query.edit_message_reply_markup(reply_markup=None)
        chat_id, data = update.effective_chat.id, query.data or ""
        if data.startswith(LANGUAGE_PREFIX):
            language = data.removeprefix(LANGUAGE_PREFIX)
            await self.set_language(context, chat_id, update.update_id, language)
        elif data.startswith(INSTITUTION_PREFIX):
            code = data.removeprefix(INSTITUTION_PREFIX)
            await self.set_institution(context, chat_id, update.update_id, code)
        elif (payload := self.payload_of(context, data)) is not None:
            await self.converse(context, chat_id, update.update_id, payload)
        else:
            await context.bot.send_message(
                chat_id, texts.BUTTON_EXPIRED.chosen(chosen_language(context))
            )

    @staticmethod
    def payload_of(context: Context, data: str) -> str | None:
        """The Rasa payload of a button: carried inline, or kept by the bridge under a key."""
        if data.startswith(PAYLOAD_PREFIX):
            return data.removeprefix(PAYLOAD_PREFIX)
        if not data.startswith(KEY_PREFIX):
            return None
        stored = context.bot_data.get(PAYLOADS, {})
        payload = stored.get(data.removeprefix(KEY_PREFIX))
        return payload if isinstance(payload, str) else None

    async def set_language(
        self, context: Context, chat_id: int, update_id: int, language: str
    ) -> None:
        """Remembers the chat's language (sent as metadata from now on) and tells Rasa."""
        if language not in texts.LANGUAGE_BUTTONS:
            return
        if context.chat_data is not None:
            context.chat_data["language"] = language
        await self.remember_person(chat_id, language=language)
        await self.converse(context, chat_id, update_id, choose_language_payload(language))

    async def set_institution(
        self, context: Context, chat_id: int, update_id: int, code: str
    ) -> None:
        """Tells Rasa the person's university (its action stores it in their record)."""
        if code not in INSTITUTION_CODES:
            return
        if context.chat_data is not None:
            context.chat_data["institution"] = code
        await self.converse(context, chat_id, update_id, choose_institution_payload(code))

    async def converse(self, context: Context, chat_id: int, update_id: int, text: str) -> None:
        """Sends one message to Rasa in the chat's turn and delivers the answers.

        A slow or failing Rasa gets a short "try again shortly", never silence; a flooding
        chat is told once to wait, and its extra messages are dropped.
        """
        language = chosen_language(context)
        try:
            async with self._queues.turn(chat_id):
                if chat_id not in self._known_chats:
                    await self.remember_person(chat_id)
                metadata = rasa_metadata(chat_id, update_id, language)
                async with typing(context.bot, chat_id):
                    replies = await self._rasa.send(str(chat_id), text, metadata)
                await self.deliver(context, chat_id, replies)
        except Backlogged as refused:
            if refused.first:
                await context.bot.send_message(chat_id, texts.SLOW_DOWN.chosen(language))
        except RasaUnavailable as error:
            log.warning("Rasa did not answer update %s: %s", update_id, error)
            await context.bot.send_message(chat_id, texts.TRY_AGAIN.chosen(language))

    async def deliver(
        self, context: Context, chat_id: int, replies: list[dict[str, Any]]
    ) -> None:
        """Sends Rasa's replies, keeping the long button payloads for a later tap."""
        long = long_payloads(replies)
        if long:
            context.bot_data.setdefault(PAYLOADS, {}).update(long)
        messages: list[Reply] = to_telegram(replies)
        if not messages:
            log.info("Rasa had nothing to say in chat turn")
        for message in messages:
            await context.bot.send_message(
                chat_id, message.text, reply_markup=markup(message.keyboard)
            )

    async def remember_person(
        self, chat_id: int, *, language: str | None = None, institution: str | None = None
    ) -> None:
        """Records in the case store how to reach the chat's person (and their choices)."""
        if self._sessions is None:
            return
        sessions = self._sessions

        def store() -> None:
            with sessions.begin() as session:
                get_or_create_person(
                    session, channel=CHANNEL, channel_user_id=str(chat_id),
                    language=language, institution=institution, reach={"chat_id": chat_id},
                )

        try:
            await asyncio.to_thread(store)
            self._known_chats.add(chat_id)
        except SQLAlchemyError:
            log.exception("could not record a Telegram chat in the case store")

    async def error(self, update: object, context: Context) -> None:
        """Logs what a handler could not handle."""
        log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
