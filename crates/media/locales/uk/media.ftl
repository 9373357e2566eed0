# Uploads: why a file was not accepted.
media-error-empty = Файл порожній.
media-error-too-large = Файл завеликий. Зменште його або оберіть інший.
media-error-total-too-large = Разом файли завеликі. Надішліть менше файлів або менші.
media-error-too-many-files = Забагато файлів в одній формі.
media-error-type = Такий тип файлу не приймається. Можна JPEG, PNG, WebP або PDF.
media-error-not-image = Оберіть зображення у форматі JPEG, PNG або WebP.
media-error-not-document = Оберіть документ у форматі PDF.
media-error-too-many-pixels = Зображення завелике за розміром у пікселях. Зменште його.
media-error-unreadable = Файл не вдалося прочитати. Можливо, він пошкоджений.
media-error-alt-too-long = Опис зображення задовгий.
media-error-field-too-long = Текст задовгий.
media-error-request-too-large = Форма завелика. Надішліть менші файли.
media-error-upload = Файл не надійшов повністю. Спробуйте ще раз.
