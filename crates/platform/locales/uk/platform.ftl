home-title = Головна
home-lead = Тут мешканці говорять із місцевою владою: петиції, громадський бюджет, опитування, звернення та послуги в одному місці.
home-sections = Розділи
home-settlements = Населені пункти громади

login-title = Вхід
login-failed = Неправильна електронна пошта або пароль.
login-no-account = Ще не маєте облікового запису?
forgot-link = Забули пароль?

field-email = Електронна пошта
field-password = Пароль
field-password-confirm = Повторіть пароль
field-new-password = Новий пароль
field-full-name = Прізвище, ім’я та по батькові
field-settlement = Населений пункт
field-settlement-none = — не вказано —
field-birth-year = Рік народження
field-lang = Мова інтерфейсу
field-token-name = Назва токена
field-tax-number = РНОКПП (ідентифікаційний код)
field-document-checked = Я перевірив(-ла) документ, що посвідчує особу
field-name-uk = Назва українською
field-name-en = Назва англійською
field-kind = Тип
field-starosta-district = Старостинський округ
field-coat-of-arms = Адреса зображення герба
field-address = Адреса
field-phone = Телефон
field-hours = Години прийому
field-slug = Коротка назва для адреси
field-host = Доменне ім’я
field-host-primary = Зробити основним

hint-full-name = Як у документах: так вас знайдуть у відповідях на звернення.
hint-password = Щонайменше 10 символів. Фраза з кількох слів — найкращий вибір.
hint-birth-year = Потрібен для голосувань, де є вікові обмеження. Наприклад, 1985.
hint-tax-number = 10 цифр. Сам номер не зберігається — лише його захищений відбиток.
hint-coat-of-arms = Посилання https:// або шлях на цьому сайті, що починається з /.
hint-slug = Латинські малі літери, цифри й дефіс, наприклад: sievierodonetska.
hint-host = Наприклад: gromada.example.ua

register-title = Реєстрація
register-lead = Обліковий запис потрібен, щоб підписувати петиції, голосувати, відповідати на опитування та писати звернення.
register-have-account = Уже маєте обліковий запис?

forgot-title = Відновлення пароля
forgot-lead = Вкажіть електронну пошту, з якою ви реєструвалися, і ми надішлемо посилання для нового пароля.
forgot-sent = Якщо обліковий запис із такою адресою існує, ми надіслали на неї посилання. Воно діє 2 години.
forgot-submit = Надіслати посилання

reset-title = Новий пароль
reset-submit = Зберегти пароль

profile-title = Мій обліковий запис
profile-unconfirmed = Підтвердіть адресу { $email }: ми надіслали вам лист із посиланням.
profile-resend = Надіслати лист ще раз
profile-level = Рівень підтвердження особи
profile-verify-link = Підвищити рівень
profile-roles = Ролі
profile-edit = Особисті дані
profile-data = Мої дані
profile-export = Завантажити мої дані (JSON)
profile-tokens = Токени доступу до API
profile-delete = Видалити обліковий запис

save = Зберегти
cancel = Скасувати
delete = Видалити
add = Додати
search = Шукати
actions = Дії
nothing-found = Нічого не знайдено.
pagination = Сторінки
previous-page = Попередня сторінка
next-page = Наступна сторінка

level-none = не підтверджено
level-email = підтверджена пошта
level-phone = підтверджений телефон
level-eid = підтверджена особа (e-ID)

verify-title = Підтвердження особи
verify-lead = Деякі дії, як-от підпис петиції чи голосування, громада дозволяє лише підтвердженим особам. Одна особа — один голос.
verify-levels = Рівні підтвердження
verify-level = Рівень
verify-how = Як отримати
verify-status = Стан
verify-how-email = Перейти за посиланням із листа
verify-how-phone = Поділитися номером у чат-боті громади
verify-how-eid = Увійти через ID.GOV.UA (Дія, BankID, КЕП) або показати документ у ЦНАП
verify-done = так
verify-not-yet = ще ні
verify-eid-button = Підтвердити через ID.GOV.UA
verify-eid-unavailable = Вхід через ID.GOV.UA у цій громаді ще не налаштовано.
verify-in-person = Також можна підтвердити особу в ЦНАП: адміністратор перевірить документ.

tokens-title = Токени доступу до API
tokens-lead = Токен дає скриптам доступ до API від вашого імені. Зберігайте його як пароль.
tokens-created = Новий токен створено. Скопіюйте його зараз — більше ми його не покажемо:
tokens-list = Ваші токени
tokens-created-at = Створено
tokens-last-used = Останнє використання
tokens-revoke = Відкликати
tokens-new = Новий токен
tokens-create = Створити токен

delete-title = Видалення облікового запису
delete-lead = Ваш обліковий запис і особисті дані буде видалено. Це не можна скасувати.
delete-failed = Неправильний пароль.
delete-submit = Видалити назавжди

devmail-title = Вихідна пошта
devmail-lead = Поштовий сервер не налаштовано (або це демонстрація), тож листи зберігаються тут.
devmail-to = Кому
devmail-empty = Листів ще немає.

admin-menu = Розділи адміністрування
admin-dashboard = Огляд
admin-users = Користувачі й ролі
admin-departments = Підрозділи
admin-settlements = Населені пункти
admin-settings = Налаштування
admin-audit = Журнал дій
admin-your-roles = Ваші ролі
stat-users = { $count ->
    [one] користувач
    [few] користувачі
   *[many] користувачів
}
stat-staff = { $count ->
    [one] призначена роль
    [few] призначені ролі
   *[many] призначених ролей
}
stat-departments = { $count ->
    [one] підрозділ
    [few] підрозділи
   *[many] підрозділів
}
stat-settlements = { $count ->
    [one] населений пункт
    [few] населені пункти
   *[many] населених пунктів
}
admin-users-search = Пошук за ім’ям або поштою
admin-users-list = Користувачі
admin-registered = Зареєстровано
admin-staff = Посадовці
admin-verified-in-person = Особу перевірено в ЦНАП
admin-verified-eid = Особу підтверджено через e-ID
admin-roles = Ролі
admin-role-held = має
admin-revoke = Зняти
admin-grant = Надати
admin-unassign = Відкріпити
admin-assign = Прикріпити
admin-verify-in-person = Підтвердження особи в ЦНАП
admin-verify-in-person-lead = Перевірте паспорт або ID-картку та внесіть РНОКПП. Дія записується в журнал.
admin-verify-submit = Підтвердити особу
admin-history = Історія
admin-departments-list = Підрозділи громади
admin-officers = Посадовці
admin-department-head = Керівник
flash-department-head-not-officer = Керівником може бути лише посадовець цього підрозділу.
admin-department-new = Новий підрозділ
admin-settlements-list = Населені пункти громади
admin-settlement-new = Новий населений пункт

settings-details = Відомості про громаду
settings-identity = Рівні підтвердження для дій
settings-identity-lead = Оберіть, який рівень підтвердження особи потрібен для кожної дії, відповідно до статуту громади.
settings-no-actions = Модулі ще не додали дій, які потребують підтвердження.

audit-filter = Фільтр журналу
audit-action = Дія
audit-actor = Хто
audit-apply = Показати
audit-list = Записи журналу
audit-when = Коли
audit-summary = Подробиці

role-admin = адміністратор громади
role-moderator = модератор
role-editor = редактор сайту
role-department_officer = посадовець підрозділу
role-bot_operator = оператор чат-бота
role-cnap_staff = адміністратор ЦНАП

settlement-kind-city = місто
settlement-kind-town = селище
settlement-kind-village = село
settlement-kind-settlement = селище

landing-title = Громади
landing-lead = Відкрита платформа е-демократії: петиції, громадський бюджет, опитування, звернення, сайт і чат-бот для кожної громади.
landing-communities = Громади на платформі
landing-none = Поки що жодної громади.

platform-login-title = Вхід для операторів платформи
platform-communities = Громади
platform-hosts = Доменні імена
platform-status = Стан
platform-enabled = працює
platform-disabled = вимкнено
platform-community-new = Нова громада
platform-operators = Оператори платформи
platform-operator-new = Новий оператор
platform-address = Адреса
platform-disable = Вимкнути громаду
platform-enable = Увімкнути громаду
platform-primary = основне
platform-alias = додаткове
platform-no-hosts = Власного домену немає; громада доступна за адресою /c/{ $slug }/

flash-registered = Обліковий запис створено. Ми надіслали лист для підтвердження пошти.
flash-email-confirmed = Електронну пошту підтверджено.
flash-link-invalid = Посилання недійсне або застаріле.
flash-confirmation-sent = Лист для підтвердження надіслано ще раз.
flash-signed-in = Ви увійшли.
flash-signed-out = Ви вийшли.
flash-password-changed = Пароль змінено. Увійдіть із новим паролем.
flash-profile-saved = Дані збережено.
flash-account-deleted = Обліковий запис видалено.
flash-token-revoked = Токен відкликано.
flash-eid-failed = Не вдалося підтвердити особу через ID.GOV.UA. Спробуйте ще раз.
flash-eid-no-tax-number = ID.GOV.UA не передав ідентифікаційний код, тож особу не підтверджено.
flash-person-taken = Ця особа вже має підтверджений обліковий запис у громаді. Увійдіть у нього або зверніться до ЦНАП.
flash-eid-verified = Особу підтверджено через ID.GOV.UA.
flash-role-granted = Роль надано.
flash-role-revoked = Роль знято.
flash-cannot-revoke-own-admin = Не можна зняти роль адміністратора із самого себе.
flash-verified-in-person = Особу підтверджено.
flash-saved = Збережено.
flash-deleted = Видалено.
flash-settlement-in-use = Цей населений пункт указали мешканці, тож його не можна видалити.

invalid-full_name = Вкажіть ім’я — від 2 до 200 символів.
invalid-email = Вкажіть правильну адресу електронної пошти, наприклад name@example.com.
invalid-password = Пароль має містити щонайменше 10 символів.
invalid-password_confirm = Паролі не збігаються.
invalid-birth_year = Вкажіть рік народження чотирма цифрами, від 1900 до поточного.
invalid-settlement_id = Оберіть населений пункт зі списку.
email-taken = Ця адреса вже зареєстрована. Увійдіть або відновіть пароль.
invalid-token-name = Дайте токену назву до 100 символів.
invalid-document_checked = Підтвердьте, що перевірили документ.
invalid-tax_number = РНОКПП складається з 10 цифр.
person-taken = Ця особа вже має підтверджений обліковий запис у громаді.
invalid-name_uk = Вкажіть назву — від 2 символів.
invalid-kind = Оберіть тип зі списку.
invalid-coat_of_arms = Посилання має починатися з https:// або /.
invalid-slug = Лише латинські малі літери, цифри й дефіс, від 2 до 63 символів.
slug-taken = Така коротка назва вже зайнята.
invalid-host = Вкажіть доменне ім’я, наприклад gromada.example.ua.
host-taken = Це доменне ім’я вже належить іншій громаді.

mail-confirm-subject = Підтвердіть електронну пошту — { $community }
mail-confirm-body =
    Вітаємо, { $name }!

    Щоб підтвердити адресу електронної пошти на сайті «{ $community }», перейдіть за посиланням:
    { $link }

    Посилання діє 3 дні. Якщо ви не реєструвалися, просто проігноруйте цей лист.
mail-reset-subject = Відновлення пароля — { $community }
mail-reset-body =
    Вітаємо, { $name }!

    Щоб задати новий пароль на сайті «{ $community }», перейдіть за посиланням:
    { $link }

    Посилання діє 2 години. Якщо ви не просили змінити пароль, проігноруйте цей лист: пароль залишиться тим самим.

gate-api-tokens = Створення токенів доступу до API
admin-idp = Внутрішньо переміщена особа
admin-idp-since = зареєстрована в громаді (внесено { $date })
admin-idp-title = Довідка внутрішньо переміщеної особи
admin-idp-lead = Якщо людина показала довідку ВПО з реєстрацією в громаді, позначте це: статут може прирівнювати таких людей до мешканців. Дія записується в журнал.
admin-idp-record = Довідку ВПО перевірено
admin-idp-withdraw = Зняти позначку ВПО
